import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { watchpost, watchpostFetch, type HonoWatchpostOptions, type WatchpostVariables } from '../src/hono/index.js';
import { eventSchema } from '../src/protocol/index.js';
import { memorySink, until } from './memory-sink.js';

const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

async function start(options: HonoWatchpostOptions) {
  const sink = memorySink();
  const guard = watchpost({ ...options, sink });
  const hono = new Hono<{ Variables: WatchpostVariables }>();
  hono.use(guard);
  hono.get('/products', (c) => c.text('ok'));
  hono.post('/login', async (c) => {
    const { user, password } = await c.req.json<{ user: string; password: string }>();
    const ok = password === 'right';
    c.get('watchpost')?.login(ok ? 'success' : 'failed', user);
    return c.text(ok ? 'welcome' : 'no', ok ? 200 : 401);
  });
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
  });
  open.push(async () => {
    await new Promise((r) => server?.close(r));
    await guard.close();
  });
  return { sink, guard, base: `http://127.0.0.1:${port}` };
}

const login = (base: string, user: string, password: string) =>
  fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });

describe('Hono: rate rules and login monitoring end to end on a real server', () => {
  it('a scraper at 20 req/s getting 200s is answered 429 with Retry-After', async () => {
    const { base, sink } = await start({
      rateRules: [{ name: 'scrapers', limit: 20, windowMs: 10_000, match: { paths: ['/products'] } }],
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${base}/products`);
      await res.text();
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(statuses).toEqual([...Array<number>(20).fill(200), ...Array<number>(5).fill(429)]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(9);
    await until(() => sink.events.length === 25);
    expect(sink.events[24]).toMatchObject({ status: 429, action: 'block', rule: 'rate:scrapers' });
  });

  it('credential stuffing reported through c.get("watchpost") is refused; accounts never in clear', async () => {
    const { base, sink, guard } = await start({
      logins: { accountKey: 'hono-site-secret-0123', stuffing: { limit: 3, windowMs: 60_000, banMs: 60_000 } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(base, `user${i}@corp.example`, 'x')).status);
    expect(statuses).toEqual([401, 401, 401, 403, 403]);
    await until(() => sink.events.length === 5);
    expect(sink.events[3]?.rule).toBe('login:credential-stuffing');
    expect(JSON.stringify(sink.events)).not.toContain('corp.example');
    for (const event of sink.events) expect(eventSchema.safeParse(event).success).toBe(true);
    expect(guard.engine.stats().logins?.detections['credential-stuffing']).toBe(1);
  });

  it('a success after many failures for one account is counted as compromised', async () => {
    const { base, sink, guard } = await start({
      logins: { accountKey: 'hono-site-secret-0123', bruteForce: false, stuffing: false },
    });
    for (let i = 0; i < 5; i++) expect((await login(base, 'ceo@corp.example', `guess${i}`)).status).toBe(401);
    expect((await login(base, 'CEO@corp.example ', 'right')).status).toBe(200);
    // Count mode by default: the next request is let through, recorded as login:compromised.
    expect((await fetch(`${base}/products`)).status).toBe(200);
    await until(() => sink.events.length === 7);
    expect(guard.engine.stats().logins?.detections.compromised).toBe(1);
    expect(sink.events[6]).toMatchObject({ action: 'count', rule: 'login:compromised' });
    const accounts = new Set(sink.events.slice(0, 6).map((e) => e.login?.account));
    expect(accounts.size).toBe(1);
  });
});

describe('watchpostFetch: rate rules', () => {
  it('answers 403 without Retry-After for a 403 rule', async () => {
    const sink = memorySink();
    const guarded = watchpostFetch(() => new Response('ok'), {
      sink,
      socketIp: () => '192.0.2.9',
      rateRules: [{ name: 'strict', limit: 2, windowMs: 10_000, status: 403 }],
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await guarded(new Request('http://shop.example/'))).status);
    expect(statuses).toEqual([200, 200, 403]);
    const refused = await guarded(new Request('http://shop.example/'));
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(sink.events.at(-1)).toMatchObject({ rule: 'rate:strict', status: 403 });
    await guarded.close();
  });

  it('answers 429 with Retry-After for a 429 rule', async () => {
    const guarded = watchpostFetch(() => new Response('ok'), {
      socketIp: () => '192.0.2.9',
      rateRules: [{ name: 'polite', limit: 1, windowMs: 30_000 }],
    });
    await guarded(new Request('http://shop.example/'));
    const refused = await guarded(new Request('http://shop.example/'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    await guarded.close();
  });
});
