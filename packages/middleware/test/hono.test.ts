import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { watchpost, type HonoWatchpostOptions } from '../src/hono/index.js';
import { memorySink, until } from './memory-sink.js';

const CF = { 'cf-connecting-ip': '198.51.100.7', 'cf-ipcountry': 'DE' };

function app(options: HonoWatchpostOptions = {}) {
  const sink = memorySink();
  const guard = watchpost({ ...options, sink });
  const hono = new Hono();
  hono.use(guard);
  hono.get('/', (c) => c.text('home'));
  hono.get('/missing', (c) => c.text('no', 404));
  hono.get('/boom', () => {
    throw new Error('handler failed');
  });
  hono.onError((_error, c) => c.text('failed', 500));
  hono.get('/.env', (c) => c.text('SECRET=1'));
  return { hono, sink, guard };
}

describe('Hono adapter through app.request()', () => {
  it('lets a request through and records the status after next()', async () => {
    const { hono, sink } = app({ cdn: 'cloudflare' });
    const res = await hono.request('http://shop.example/?x=1', { headers: CF });
    expect(await res.text()).toBe('home');
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({
      ip: '198.51.100.7',
      country: 'DE',
      host: 'shop.example',
      path: '/',
      status: 200,
      action: 'allow',
    });
  });

  it('blocks a denied client behind Cloudflare with the default 403', async () => {
    const { hono, sink } = app({ cdn: 'cloudflare', denyList: ['198.51.100.0/24'] });
    const res = await hono.request('/', { headers: CF });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Forbidden');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(sink.events[0]).toMatchObject({ status: 403, action: 'block', rule: 'deny-list' });
  });

  it('does not believe CF-Connecting-IP unless cdn says so', async () => {
    const { hono, sink } = app({ denyList: ['198.51.100.0/24'] });
    expect((await hono.request('/', { headers: CF })).status).toBe(200);
    // app.request() has no socket: the event says 0.0.0.0
    expect(sink.events[0]).toMatchObject({ ip: '0.0.0.0', country: null });
  });

  it('blocks probes and scanners, with a configured response', async () => {
    const { hono } = app({ blockResponse: { status: 404, body: '', headers: { 'x-blocked': '1' } } });
    const probe = await hono.request('/.env');
    expect([probe.status, probe.headers.get('x-blocked')]).toEqual([404, '1']);
    const scanner = await hono.request('/', {
      headers: { 'user-agent': 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)' },
    });
    expect(scanner.status).toBe(404);
  });

  it('catches a raw percent-encoded traversal that c.req.path would decode', async () => {
    const { hono, sink } = app();
    expect((await hono.request('/static/%2e%2e/%2e%2e/etc/passwd')).status).toBe(403);
    expect(sink.events[0]?.rule).toMatch(/^probe:/);
  });

  it("records a handler's error as the 500 the client got", async () => {
    const { hono, sink } = app();
    expect((await hono.request('/boom')).status).toBe(500);
    expect(sink.events[0]).toMatchObject({ path: '/boom', status: 500, sampleRate: 1 });
  });

  it('bans after a burst of 404s', async () => {
    const { hono, guard } = app({ cdn: 'cloudflare', bans: { threshold: 3 } });
    for (let i = 0; i < 4; i++) expect((await hono.request('/missing', { headers: CF })).status).toBe(404);
    expect((await hono.request('/', { headers: CF })).status).toBe(403);
    expect(guard.engine.stats()).toMatchObject({ bansActive: 1 });
  });

  it('fails open when the engine throws', async () => {
    const errors: unknown[] = [];
    const { hono, guard } = app({ onError: (e) => errors.push(e) });
    guard.engine.decide = () => {
      throw new Error('engine bug');
    };
    expect((await hono.request('/')).status).toBe(200);
    expect(errors).toHaveLength(1);
  });

  it('uses a custom socketIp and a custom geo lookup', async () => {
    const { hono, sink } = app({ socketIp: () => '::ffff:203.0.113.9', geo: () => 'jp' });
    await hono.request('/');
    expect(sink.events[0]).toMatchObject({ ip: '203.0.113.9', country: 'JP' });
  });

  it('refuses geo: true without a Node loader, naming the option', () => {
    expect(() => watchpost({ geo: true })).toThrow(/options\.geo/);
  });
});

describe('Hono adapter on @hono/node-server', () => {
  let server: ServerType | null = null;
  afterEach(async () => {
    await new Promise((r) => server?.close(r) ?? r(null));
    server = null;
  });

  it('reads the socket address through node-server and applies the rules to it', async () => {
    const { hono, sink } = app({ denyList: ['127.0.0.2'], allowList: [] });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    const res = await fetch(`http://127.0.0.1:${port}/missing`);
    expect(res.status).toBe(404);
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ ip: '127.0.0.1', status: 404, host: `127.0.0.1:${port}` });
    expect((await fetch(`http://127.0.0.1:${port}/.git/config`)).status).toBe(403);
  });

  it('follows X-Forwarded-For through a trusted proxy (headers read from the raw Node request)', async () => {
    const { hono, sink } = app({ trustedProxies: ['loopback'], denyList: ['198.51.100.7'] });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Forwarded-For': '198.51.100.7' } })).status).toBe(
      403,
    );
    expect(
      (
        await fetch(`http://127.0.0.1:${port}/`, {
          headers: {
            'x-forwarded-for': '203.0.113.1',
            'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36',
          },
        })
      ).status,
    ).toBe(200);
    await until(() => sink.events.length === 2);
    expect(sink.events[1]).toMatchObject({
      ip: '203.0.113.1',
      ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36',
    });
  });

  it('blocks the socket address when it is denied', async () => {
    const { hono } = app({ denyList: ['127.0.0.0/8'] });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(403);
  });
});
