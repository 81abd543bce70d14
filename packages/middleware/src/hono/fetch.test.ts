import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memorySink, until } from '../../test/memory-sink.js';
import { watchpostFetch, type FetchHandler, type WatchpostFetchOptions } from './fetch.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Busy-waits, so a synchronous handler takes measurable time without returning a promise. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function guard<Env, Ctx>(handler: FetchHandler<Env, Ctx>, options: WatchpostFetchOptions<Env> = {}) {
  const sink = memorySink();
  const errors: unknown[] = [];
  const fetch = watchpostFetch(handler, { onError: (error) => errors.push(error), ...options, sink });
  return { fetch, sink, errors };
}

function request(path = '/', headers: Record<string, string> = { 'user-agent': BROWSER }): Request {
  return new Request(`http://shop.example${path}`, { headers });
}

describe('watchpostFetch called directly', () => {
  it.each([
    {
      result: 'a Response, synchronously',
      status: 201,
      async: false,
      minLatency: 20,
      handler: () => (spin(20), new Response('made', { status: 201 })),
    },
    {
      result: 'a promise',
      status: 404,
      async: true,
      minLatency: 25,
      handler: () => new Promise<Response>((r) => setTimeout(() => r(new Response('no', { status: 404 })), 30)),
    },
  ])(
    'observes a handler that returns $result, with its status and latency',
    async ({ status, async, minLatency, handler }) => {
      const { fetch, sink } = guard(handler);
      const result = fetch(request('/orders?id=1'));
      expect(typeof (result as Promise<Response>).then === 'function').toBe(async);
      // Synchronous results are observed before the call returns; promises only once they settle.
      expect(sink.events).toHaveLength(async ? 0 : 1);
      expect((await result).status).toBe(status);
      expect(sink.events).toHaveLength(1);
      expect(sink.events[0]).toMatchObject({
        action: 'allow',
        status,
        path: '/orders',
        host: 'shop.example',
        ua: BROWSER,
      });
      expect(sink.events[0]!.latencyMs).toBeGreaterThanOrEqual(minLatency);
    },
  );

  it("returns the app's own Response object untouched", () => {
    const response = new Response('home');
    const { fetch } = guard(() => response);
    expect(fetch(request())).toBe(response);
  });

  it.each([
    { options: {}, status: 403, body: 'Forbidden', header: ['cache-control', 'no-store'] },
    {
      options: { status: 404, body: 'nothing here', headers: { 'X-Blocked': 'watchpost' } },
      status: 404,
      body: 'nothing here',
      header: ['x-blocked', 'watchpost'],
    },
  ])(
    'answers a blocked request with the block response $status, synchronously, without calling the app',
    async ({ options, status, body, header }) => {
      const app = vi.fn(() => new Response('secret'));
      const { fetch, sink } = guard(app, { blockResponse: options });
      const result = fetch(request('/.env'));
      expect(result).toBeInstanceOf(Response);
      const response = result as Response;
      expect([response.status, await response.text(), response.headers.get(header[0]!)]).toEqual([
        status,
        body,
        header[1],
      ]);
      expect(app).not.toHaveBeenCalled();
      expect(sink.events[0]).toMatchObject({ action: 'block', rule: 'probe:/.env', status });
    },
  );

  it('records a would-be block in count mode and lets it through', async () => {
    const { fetch, sink } = guard(() => new Response('SECRET=1'), { mode: 'count' });
    expect(await (fetch(request('/.env')) as Response).text()).toBe('SECRET=1');
    expect(sink.events[0]).toMatchObject({ action: 'count', rule: 'probe:/.env', status: 200 });
  });

  it('fails open when the engine throws: onError hears it, the app answers', () => {
    const response = new Response('home');
    const { fetch, sink, errors } = guard(() => response);
    fetch.engine.decide = () => {
      throw new Error('engine bug');
    };
    expect(fetch(request())).toBe(response);
    expect(errors).toEqual([new Error('engine bug')]);
    expect(sink.events).toHaveLength(0);
  });

  it('fails open when a custom socketIp throws', () => {
    const { fetch, errors } = guard(() => new Response('home'), {
      socketIp: () => {
        throw new Error('no socket');
      },
    });
    expect((fetch(request()) as Response).status).toBe(200);
    expect(errors).toHaveLength(1);
  });

  it.each([
    { thrown: 'a rejected promise', handler: () => Promise.reject(new Error('handler failed')) },
    {
      thrown: 'a synchronous throw',
      handler: (): Response => {
        throw new Error('handler failed');
      },
    },
  ])('observes $thrown as 500 and passes the error on', async ({ handler }) => {
    const { fetch, sink } = guard(handler);
    await expect(async () => fetch(request('/boom'))).rejects.toThrow('handler failed');
    expect(sink.events[0]).toMatchObject({ path: '/boom', status: 500, sampleRate: 1 });
  });

  it.each([
    {
      runtime: '@hono/node-server (socket and raw headers; the Request headers are not read)',
      env: {
        incoming: {
          socket: { remoteAddress: '::ffff:203.0.113.9' },
          rawHeaders: ['Host', 'raw.example', 'User-Agent', 'curl/8.5.0'],
        },
      },
      options: {},
      expected: { ip: '203.0.113.9', host: 'raw.example', ua: 'curl/8.5.0', botCategory: 'http-client' },
    },
    {
      runtime: 'Bun (requestIP)',
      env: { requestIP: () => ({ address: '2001:db8::7' }) },
      options: {},
      expected: { ip: '2001:db8::7', host: 'shop.example', ua: BROWSER },
    },
    {
      runtime: 'a custom socketIp(request, env)',
      env: { peer: '198.51.100.20' },
      options: { socketIp: (_request: Request, env: unknown) => (env as { peer: string }).peer, geo: () => 'jp' },
      expected: { ip: '198.51.100.20', country: 'JP' },
    },
    {
      runtime: 'no env (Workers without cdn)',
      env: undefined,
      options: {},
      expected: { ip: '0.0.0.0', host: 'shop.example' },
    },
  ])('resolves the client on $runtime', ({ env, options, expected }) => {
    const { fetch, sink, errors } = guard(() => new Response('home'), options);
    const req = request();
    if (env !== undefined && 'incoming' in env) {
      Object.defineProperty(req, 'headers', {
        get: () => {
          throw new Error('Request headers materialised');
        },
      });
    }
    expect((fetch(req, env) as Response).status).toBe(200);
    expect(errors).toEqual([]);
    expect(sink.events[0]).toMatchObject(expected);
  });

  it('passes env and ctx through to the app', () => {
    const app = vi.fn((_request: Request, _env?: unknown, _ctx?: unknown) => new Response('home'));
    const { fetch } = guard(app);
    const req = request();
    fetch(req, { binding: 1 }, { waitUntil() {} });
    expect(app).toHaveBeenCalledWith(req, { binding: 1 }, expect.objectContaining({ waitUntil: expect.any(Function) }));
  });

  it('reads the path still percent-encoded, so an encoded traversal is caught', () => {
    const { fetch, sink } = guard(() => new Response('file'));
    expect((fetch(request('/files/%2e%2e%2f%2e%2e%2fsecret?x=1')) as Response).status).toBe(403);
    expect(sink.events[0]).toMatchObject({ rule: 'probe:path-traversal', path: '/files/%2e%2e%2f%2e%2e%2fsecret' });
  });

  it('refuses a bad handler or socketIp, naming it, and closes its sink', async () => {
    expect(() => watchpostFetch(undefined as never)).toThrow(/fetch must be a function/);
    expect(() => watchpostFetch(() => new Response(), { socketIp: 'x' as never })).toThrow(/options\.socketIp/);
    const { fetch, sink } = guard(() => new Response());
    await fetch.close();
    expect(sink.closed).toBe(true);
  });
});

describe('watchpostFetch around a Hono app', () => {
  function honoApp() {
    const app = new Hono();
    app.get('/', (c) => c.text('home'));
    app.get('/slow', async (c) => c.text('later', 202));
    app.get('/boom', () => {
      throw new Error('handler failed');
    });
    app.onError((_error, c) => c.text('failed', 500));
    return app;
  }

  it.each([
    { path: '/', sync: true, status: 200 },
    { path: '/slow', sync: false, status: 202 },
    { path: '/boom', sync: true, status: 500 },
    { path: '/missing', sync: false, status: 404 }, // Hono's not-found path composes
  ])("keeps Hono's answer for $path (synchronous: $sync) and records $status", async ({ path, sync, status }) => {
    const { fetch, sink } = guard(honoApp().fetch);
    const result = fetch(request(path));
    expect(result instanceof Response).toBe(sync);
    expect((await result).status).toBe(status);
    expect(sink.events[0]).toMatchObject({ path, status, action: 'allow' });
  });

  it('blocks a denied client behind Cloudflare', async () => {
    const { fetch, sink } = guard(honoApp().fetch, { cdn: 'cloudflare', denyList: ['198.51.100.0/24'] });
    const response = await fetch(request('/', { 'cf-connecting-ip': '198.51.100.7', 'cf-ipcountry': 'DE' }));
    expect(response.status).toBe(403);
    expect(sink.events[0]).toMatchObject({ ip: '198.51.100.7', country: 'DE', rule: 'deny-list', status: 403 });
  });
});

describe('watchpostFetch on @hono/node-server', () => {
  let server: ServerType | null = null;
  afterEach(async () => {
    await new Promise((r) => server?.close(r) ?? r(null));
    server = null;
  });

  async function listen(options: WatchpostFetchOptions = {}) {
    const { fetch, sink, errors } = guard(
      (() => {
        const app = new Hono();
        app.get('/', (c) => c.text('home'));
        return app;
      })().fetch,
      options,
    );
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    return { url: `http://127.0.0.1:${port}`, port, sink, errors };
  }

  it('reads the socket address and applies the rules to it', async () => {
    const { url, port, sink, errors } = await listen({ denyList: ['127.0.0.2'] });
    expect((await fetch(`${url}/missing`)).status).toBe(404);
    expect((await fetch(`${url}/.git/config`)).status).toBe(403);
    await until(() => sink.events.length === 2);
    expect(sink.events[0]).toMatchObject({ ip: '127.0.0.1', status: 404, host: `127.0.0.1:${port}`, path: '/missing' });
    expect(sink.events[1]).toMatchObject({ ip: '127.0.0.1', status: 403, rule: 'probe:/.git/' });
    expect(errors).toEqual([]);
  });

  it('follows X-Forwarded-For through a trusted proxy (headers read from the raw Node request)', async () => {
    const { url, sink } = await listen({ trustedProxies: ['loopback'], denyList: ['198.51.100.7'] });
    expect((await fetch(url, { headers: { 'X-Forwarded-For': '198.51.100.7' } })).status).toBe(403);
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.1', 'User-Agent': BROWSER } })).status).toBe(
      200,
    );
    await until(() => sink.events.length === 2);
    expect(sink.events[0]).toMatchObject({ ip: '198.51.100.7', action: 'block', rule: 'deny-list' });
    expect(sink.events[1]).toMatchObject({ ip: '203.0.113.1', ua: BROWSER, status: 200 });
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const { url, sink } = await listen({ denyList: ['198.51.100.7'] });
    expect((await fetch(url, { headers: { 'X-Forwarded-For': '198.51.100.7' } })).status).toBe(200);
    await until(() => sink.events.length === 1);
    expect(sink.events[0]).toMatchObject({ ip: '127.0.0.1' });
  });

  it('sends the configured block response over the wire', async () => {
    const { url } = await listen({
      denyList: ['127.0.0.0/8'],
      blockResponse: { status: 429, body: 'go away', headers: { 'retry-after': '3600' } },
    });
    const response = await fetch(url);
    expect([response.status, await response.text(), response.headers.get('retry-after')]).toEqual([
      429,
      'go away',
      '3600',
    ]);
  });
});
