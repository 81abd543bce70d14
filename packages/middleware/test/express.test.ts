import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { watchpost, type WatchpostOptions } from '../src/express/index.js';
import { eventSchema } from '../src/protocol/index.js';
import { memorySink, until } from './memory-sink.js';
import { startSinkServer, type SinkServer } from './sink-server.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

/** The two ways to put Watchpost in front of an Express app. */
type Mount = 'app.use' | 'server wrapper';

async function startWith(
  options: WatchpostOptions,
  routes: ((app: express.Express) => void) | undefined,
  mount: Mount,
) {
  const sink = options.sink ?? memorySink();
  const guard = watchpost({ geo: false, ...options, sink });
  const app = express();
  if (mount === 'app.use') app.use(guard);
  routes?.(app);
  app.get('/', (_req, res) => void res.send('home'));
  app.get('/missing', (_req, res) => void res.status(404).send('no'));
  const server: Server = createServer(mount === 'app.use' ? app : guard.wrap(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { guard, sink: sink as ReturnType<typeof memorySink>, base };
}

describe.each(['app.use', 'server wrapper'] as const)('Express adapter on a real server (%s)', (mount) => {
  const start = (options: WatchpostOptions, routes?: (app: express.Express) => void) =>
    startWith(options, routes, mount);

  it('lets a browser through and records status and latency when the response finishes', async () => {
    const { base, sink } = await start({});
    const res = await fetch(`${base}/?utm=1`, {
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' },
    });
    expect(await res.text()).toBe('home');
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({
      ip: '127.0.0.1',
      method: 'GET',
      path: '/',
      status: 200,
      action: 'allow',
      rule: null,
    });
    expect(sink.events[0]?.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(eventSchema.safeParse(sink.events[0]).success).toBe(true);
  });

  it('answers a probe with a small plain 403 that never reaches the route', async () => {
    let reached = false;
    const { base, sink } = await start({}, (app) =>
      app.get('/.env', (_req, res) => {
        reached = true;
        res.send('SECRET=1');
      }),
    );
    const res = await fetch(`${base}/.env`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Forbidden');
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ status: 403, action: 'block', rule: 'probe:/.env' });
    expect(reached).toBe(false);
  });

  it('uses the configured block response', async () => {
    const { base } = await start({
      denyList: ['127.0.0.1'],
      blockResponse: { status: 451, body: 'nope', headers: { 'x-reason': 'watchpost' } },
    });
    const res = await fetch(base);
    expect([res.status, res.headers.get('x-reason'), await res.text()]).toEqual([451, 'watchpost', 'nope']);
  });

  it('count mode serves the request and records a would-be block', async () => {
    const { base, sink } = await start({ mode: 'count', denyList: ['127.0.0.1'] });
    expect((await fetch(base)).status).toBe(200);
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ status: 200, action: 'count', rule: 'deny-list' });
  });

  it('ignores X-Forwarded-For from an untrusted peer and follows it through a trusted proxy', async () => {
    const spoof = { 'x-forwarded-for': '198.51.100.7' };
    const untrusted = await start({ denyList: ['198.51.100.7'] });
    expect((await fetch(untrusted.base, { headers: spoof })).status).toBe(200);
    const trusted = await start({ denyList: ['198.51.100.7'], trustedProxies: ['loopback'] });
    expect((await fetch(trusted.base, { headers: spoof })).status).toBe(403);
  });

  it('bans a client after a burst of 404s', async () => {
    const { base, guard } = await start({ bans: { threshold: 5, windowMs: 60_000 } });
    for (let i = 0; i < 6; i++) expect((await fetch(`${base}/missing`)).status).toBe(404);
    await until(() => guard.engine.stats().bansActive === 1);
    const res = await fetch(base);
    expect(res.status).toBe(403);
    expect(guard.engine.stats().rules.ban).toBe(1);
  });

  it('records status 0 when the client goes away before the response', async () => {
    const { base, sink } = await start({}, (app) =>
      app.get('/slow', (_req, res) => void setTimeout(() => res.send('late'), 300)),
    );
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${base}/slow`);
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ path: '/slow', status: 0 });
  });

  it('fails open: if the engine throws, the request goes through and the error is logged', async () => {
    const errors: unknown[] = [];
    const { base, guard } = await start({ onError: (e) => errors.push(e) });
    guard.engine.decide = () => {
      throw new Error('engine bug');
    };
    const res = await fetch(base);
    expect(res.status).toBe(200);
    expect(String(errors[0])).toMatch(/engine bug/);
  });

  it('reports a login outcome the route gives through req.watchpost', async () => {
    const { base, sink } = await start({ logins: { endpoints: [{ method: 'POST', path: '/login' }] } }, (app) =>
      app.post('/login', (req, res) => {
        req.watchpost?.login('failed', null);
        res.status(401).send('no');
      }),
    );
    expect((await fetch(`${base}/login`, { method: 'POST' })).status).toBe(401);
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ path: '/login', status: 401, login: { outcome: 'failed', account: null } });
  });
});

describe('Express adapter with a report API', () => {
  it('forwards events to the report API and applies its deny list', async () => {
    let denied = '192.0.2.1';
    const api: SinkServer = await startSinkServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/v1/denylist') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${denied}"` });
      res.end(
        JSON.stringify({
          version: denied,
          entries: [{ id: 'd1', value: denied, reason: 'test', source: 'manual', createdAt: 1, expiresAt: null }],
        }),
      );
    });
    open.push(api);
    const guard = watchpost({ geo: false, reportApi: { url: api.url, ingestKey: 'wpi_e2e', syncIntervalMs: 50 } });
    const app = express()
      .use(guard)
      .get('/', (_req, res) => void res.send('ok'));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    open.push({
      close: () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        }),
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect((await fetch(base)).status).toBe(200);
    denied = '127.0.0.1';
    await until(
      () =>
        guard.engine.stats().decisions.allow > 0 &&
        guard.engine.decide({ ip: '127.0.0.1', method: 'GET', host: '', path: '/', ua: '', country: null }).action ===
          'block',
    );
    expect((await fetch(base)).status).toBe(403);
    await guard.close();
    const events = api.received.flatMap((r) => r.batch.events);
    expect(api.received[0]?.authorization).toBe('Bearer wpi_e2e');
    expect(api.received[0]?.batch.source).toBe('express');
    expect(events.map((e) => e.status)).toEqual([200, 403]);
    expect(events[1]?.rule).toBe('deny-list:manual');
  });

  it('rejects bad options with a TypeError naming them', () => {
    expect(() => watchpost({ geo: false, blockResponse: { status: 99 } })).toThrow(/options\.blockResponse\.status/);
    expect(() => watchpost({ geo: 'yes' as unknown as boolean })).toThrow(/options\.geo/);
    expect(() => watchpost({ geo: false, mode: 'off' as 'block' })).toThrow(/options\.mode/);
  });
});
