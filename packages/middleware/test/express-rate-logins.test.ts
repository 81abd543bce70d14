import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { watchpost, type WatchpostOptions } from '../src/express/index.js';
import { eventSchema } from '../src/protocol/index.js';
import { memorySink, until } from './memory-sink.js';

const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

const ACCOUNT_KEY = 'site-secret-0123456789';

async function start(options: WatchpostOptions) {
  const sink = memorySink();
  const guard = watchpost({ geo: false, ...options, sink });
  const app = express();
  app.use(guard);
  app.use(express.json());
  app.get('/products', (_req, res) => void res.send('ok'));
  app.post('/login', (req, res) => {
    const { user, password } = req.body as { user: string; password: string };
    const ok = password === 'right';
    req.watchpost?.login(ok ? 'success' : 'failed', user);
    res.status(ok ? 200 : 401).send(ok ? 'welcome' : 'no');
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  open.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await guard.close();
  });
  return { guard, sink, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Express: rate rules and login monitoring end to end', () => {
  it('a scraper at 20 req/s getting 200s is answered 429 with Retry-After', async () => {
    const { base, sink, guard } = await start({ rateRules: [{ name: 'scrapers', limit: 20, windowMs: 10_000 }] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${base}/products`, { headers: { 'user-agent': 'SeznamBot/4.0' } });
      await res.text();
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(9);
    expect(Number(retryAfter)).toBeLessThanOrEqual(10);
    await until(() => sink.events.length === 30);
    const refused = sink.events.filter((e) => e.status === 429);
    expect(refused).toHaveLength(10);
    expect(refused.every((e) => e.action === 'block' && e.rule === 'rate:scrapers')).toBe(true);
    expect(guard.engine.stats().rules['rate:scrapers']).toBe(10);
  });

  it('a credential-stuffing run is refused, and no event carries an account in clear', async () => {
    const { base, sink, guard } = await start({
      logins: { accountKey: ACCOUNT_KEY, endpoints: [{ method: 'POST', path: '/login' }] },
    });
    const statuses: number[] = [];
    const users = Array.from({ length: 8 }, (_, i) => `victim${i}@example.com`);
    for (const user of users) {
      const res = await fetch(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, password: 'guess' }),
      });
      await res.text();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 403, 403, 403]);
    await until(() => sink.events.length === 8);
    expect(sink.events.slice(5).every((e) => e.rule === 'login:credential-stuffing' && e.action === 'block')).toBe(
      true,
    );
    const attempts = sink.events.filter((e) => e.login != null);
    expect(attempts).toHaveLength(5);
    expect(attempts.every((e) => e.login?.outcome === 'failed' && /^[0-9a-f]{32}$/.test(e.login.account ?? ''))).toBe(
      true,
    );
    expect(new Set(attempts.map((e) => e.login?.account)).size).toBe(5);
    const wire = JSON.stringify(sink.events);
    for (const user of users) expect(wire).not.toContain(user);
    expect(wire).not.toContain('victim');
    for (const event of sink.events) expect(eventSchema.safeParse(event).success).toBe(true);
    expect(guard.engine.stats().logins).toMatchObject({ attempts: 5, failures: 5 });
    expect(guard.engine.stats().logins?.detections['credential-stuffing']).toBe(1);
  });

  it('a declared endpoint alone judges by status: a brute force of 10 failures is banned', async () => {
    const { base, sink } = await start({ logins: { endpoints: [{ method: 'POST', path: '/login' }] } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password: `guess${i}` }),
      });
      await res.text();
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([403, 403]);
    await until(() => sink.events.length === 12);
    expect(sink.events[11]?.rule).toBe('login:brute-force');
    // Without accountKey the app-reported account is dropped: null, never clear text.
    expect(sink.events[0]?.login).toEqual({ outcome: 'failed', account: null });
    expect(JSON.stringify(sink.events)).not.toContain('admin');
  });
});
