import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventSchema, type EventBatch } from '@watchpost/middleware/protocol';
import { DENYLIST_KEY } from './denylist/stored.js';
import { denyEntry, fakeOrigin, fakeReportApi, routeFetch } from './test-support/fakes.js';
import { createWorker, type WorkerEnv, type WorkerOptions } from './worker.js';

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

function setup(vars: Partial<WorkerEnv> = {}, options: WorkerOptions = {}) {
  const origin = fakeOrigin();
  const api = fakeReportApi();
  const errors: string[] = [];
  const workerEnv: WorkerEnv = {
    DENYLIST: env.DENYLIST,
    ORIGIN_URL: origin.base,
    REPORT_API_URL: api.base,
    INGEST_KEY: 'test-ingest-key',
    EVENTS_FLUSH_MS: '0',
    ...vars,
  };
  const worker = createWorker({
    fetch: routeFetch(origin, api),
    onError: (error, where) => errors.push(`${where}: ${String(error)}`),
    sleep: async () => {},
    ...options,
  });
  async function send(
    path: string,
    init: RequestInit & { ip?: string; ua?: string; cf?: Record<string, unknown> } = {},
  ) {
    const headers = new Headers(init.headers);
    headers.set('cf-connecting-ip', init.ip ?? '203.0.113.10');
    headers.set('user-agent', init.ua ?? BROWSER);
    const request = new Request(`https://shop.example${path}`, {
      ...init,
      headers,
      cf: init.cf ?? { country: 'JP', asn: 2516 },
    });
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, workerEnv, ctx);
    const body = await response.text();
    await waitOnExecutionContext(ctx);
    return { response, body };
  }
  async function pullDenyList() {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
  }
  const events = () => api.batches().flatMap((batch) => batch.events);
  return { worker, workerEnv, origin, api, errors, send, pullDenyList, events };
}

describe('the edge worker', () => {
  beforeEach(async () => {
    await env.DENYLIST.delete(DENYLIST_KEY);
  });

  it('passes a browser request through untouched and reports it', async () => {
    const { send, origin, events, api } = setup();
    const { response, body } = await send('/products/7?color=red', { method: 'POST', body: 'qty=2' });
    expect(response.status).toBe(200);
    expect(body).toBe('origin saw POST /products/7?color=red');
    expect(response.headers.get('content-type')).toBe('text/x-origin');
    expect(response.headers.get('set-cookie')).toBe('session=abc; HttpOnly');
    expect(origin.seen[0]).toMatchObject({
      method: 'POST',
      url: 'https://origin.test/products/7?color=red',
      body: 'qty=2',
    });
    expect(origin.seen[0]?.headers.get('x-forwarded-host')).toBe('shop.example');
    expect(events()).toEqual([
      expect.objectContaining({
        ip: '203.0.113.10',
        country: 'JP',
        asn: 2516,
        path: '/products/7',
        status: 200,
        action: 'allow',
        rule: null,
        botCategory: null,
      }),
    ]);
    expect(api.batches()[0]?.source).toBe('edge-worker');
  });

  it('reports a request with a C1 control byte in its User-Agent and a bogus client IP as a valid event', async () => {
    const { send, events } = setup();
    expect((await send('/', { ua: 'curl/8\x85\x1b[2J', ip: 'not-an-ip' })).response.status).toBe(200);
    expect(events()).toEqual([expect.objectContaining({ ua: 'curl/8\uFFFD\uFFFD[2J', ip: '0.0.0.0' })]);
    expect(eventSchema.safeParse(events()[0]).success).toBe(true);
  });

  it("passes the origin's 302 and its Location through untouched", async () => {
    const { send, origin } = setup();
    origin.state.status = 302;
    origin.state.headers = { location: 'https://shop.example/login?next=%2Fcart' };
    const { response } = await send('/cart');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://shop.example/login?next=%2Fcart');
    expect(origin.seen).toHaveLength(1);
  });

  it('answers a scanner 403 without asking the origin', async () => {
    const { send, origin, events } = setup();
    const { response, body } = await send('/', { ua: 'sqlmap/1.8.4#stable (https://sqlmap.org)' });
    expect(response.status).toBe(403);
    expect(body).toBe('Forbidden\n');
    expect(origin.seen).toEqual([]);
    expect(events()).toEqual([
      expect.objectContaining({ status: 403, action: 'block', rule: 'bot:scanner', botCategory: 'scanner' }),
    ]);
  });

  it('answers a probe of /.env 403', async () => {
    const { send, origin, events } = setup();
    const { response } = await send('/.env');
    expect(response.status).toBe(403);
    expect(origin.seen).toEqual([]);
    expect(events()[0]).toMatchObject({ path: '/.env', action: 'block', rule: expect.stringMatching(/^probe/) });
  });

  it('refuses an IP from the deny list the cron trigger pulled into KV, and lets others through', async () => {
    const { send, origin, api, pullDenyList, events } = setup();
    api.state.entries = [denyEntry('198.51.100.0/24')];
    api.state.version = 'v1';
    await pullDenyList();
    expect((await send('/', { ip: '198.51.100.77' })).response.status).toBe(403);
    expect((await send('/', { ip: '203.0.113.10' })).response.status).toBe(200);
    expect(origin.seen).toHaveLength(1);
    expect(events().map((e) => [e.ip, e.action, e.rule])).toEqual([
      ['198.51.100.77', 'block', 'deny-list:manual'],
      ['203.0.113.10', 'allow', null],
    ]);
  });

  it('lets a client a triage allowed through whatever else matches, from the pulled list', async () => {
    const { send, api, pullDenyList } = setup();
    const sqlmap = 'sqlmap/1.8.4#stable (https://sqlmap.org)';
    expect((await send('/', { ip: '192.0.2.44', ua: sqlmap })).response.status).toBe(403);
    api.state.allow = ['192.0.2.44'];
    api.state.version = 'v-allow';
    await pullDenyList();
    expect((await send('/', { ip: '192.0.2.44', ua: sqlmap })).response.status).toBe(200);
    expect((await send('/', { ip: '192.0.2.45', ua: sqlmap })).response.status).toBe(403);
  });

  it('lets a verified bot through even with a crawler user agent that is blocked otherwise', async () => {
    const { send } = setup();
    const ua = 'sqlmap/1.8';
    expect((await send('/', { ua, cf: { verifiedBotCategory: 'Search Engine Crawler' } })).response.status).toBe(200);
  });

  it('only records in count mode', async () => {
    const { send, origin, events } = setup({ WATCHPOST_MODE: 'count' });
    const { response } = await send('/', { ua: 'sqlmap/1.8' });
    expect(response.status).toBe(200);
    expect(origin.seen).toHaveLength(1);
    expect(events()[0]).toMatchObject({ action: 'count', rule: 'bot:scanner', status: 200 });
  });

  it('answers its own 502 when the origin does not answer, and records it', async () => {
    const { send, origin, events } = setup();
    origin.state.fail = true;
    const { response, body } = await send('/');
    expect(response.status).toBe(502);
    expect(body).toMatch(/origin did not answer/);
    expect(events()[0]).toMatchObject({ status: 502, action: 'allow' });
  });

  it('keeps serving when the report API is down (events are telemetry)', async () => {
    const { send, api } = setup();
    api.state.eventsStatus = 503;
    const { response } = await send('/');
    expect(response.status).toBe(200);
  });

  it('fails open when the engine throws', async () => {
    const { send, origin, errors } = setup(
      {},
      {
        engineFactory: () => {
          throw new Error('engine exploded');
        },
      },
    );
    const { response, body } = await send('/', { ua: 'sqlmap/1.8' });
    expect(response.status).toBe(200);
    expect(body).toBe('origin saw GET /');
    expect(origin.seen).toHaveLength(1);
    expect(errors.join('\n')).toMatch(/engine exploded/);
  });

  it('fails open when decide throws on one request', async () => {
    const { createEngine } = await import('@watchpost/middleware');
    const { send, errors } = setup(
      {},
      {
        engineFactory: (options) => {
          const engine = createEngine(options);
          return {
            ...engine,
            decide: () => {
              throw new Error('decide broke');
            },
          };
        },
      },
    );
    expect((await send('/.env')).response.status).toBe(200);
    expect(errors.join('\n')).toMatch(/decide: .*decide broke/);
  });

  it('fails open when a setting is invalid, and says which', async () => {
    const { send, origin, errors } = setup({ SAMPLE_RATE: 'lots' });
    expect((await send('/.env')).response.status).toBe(200);
    expect(origin.seen).toHaveLength(1);
    expect(errors.join('\n')).toMatch(/SAMPLE_RATE/);
  });

  it('answers its own 502 when ORIGIN_URL is unusable', async () => {
    const { send } = setup({ ORIGIN_URL: 'not a url' });
    const { response, body } = await send('/');
    expect(response.status).toBe(502);
    expect(body).toMatch(/no valid ORIGIN_URL/);
  });

  it('keeps the last good deny list when KV fails', async () => {
    const { send, api, pullDenyList, workerEnv } = setup({ DENYLIST_TTL_MS: '0' });
    api.state.entries = [denyEntry('198.51.100.7')];
    await pullDenyList();
    expect((await send('/', { ip: '198.51.100.7' })).response.status).toBe(403);
    workerEnv.DENYLIST = { get: () => Promise.reject(new Error('KV down')) } as unknown as KVNamespace;
    expect((await send('/', { ip: '198.51.100.7' })).response.status).toBe(403);
  });

  it.each([
    ['errors', 403],
    ['4xx', 503],
  ])('bans after a burst of origin 503s only when BURST_STATUSES=%s counts them', async (statuses, fourth) => {
    const { send, origin } = setup({ BURST_THRESHOLD: '2', BURST_STATUSES: statuses });
    origin.state.status = 503;
    const statusesSeen = [];
    for (let i = 0; i < 4; i++) statusesSeen.push((await send('/api', { ip: '192.0.2.99' })).response.status);
    expect(statusesSeen).toEqual([503, 503, 503, fourth]);
  });

  it('does not let a hanging KV read hold a request longer than the first-read bound', async () => {
    const hangingKv = { get: () => new Promise(() => {}) } as unknown as KVNamespace;
    const { worker, workerEnv, errors } = setup(
      { DENYLIST: hangingKv },
      { firstDenyListWaitMs: 20, denyListReadTimeoutMs: 100 },
    );
    const ctx = createExecutionContext();
    const request = new Request('https://shop.example/', {
      headers: { 'cf-connecting-ip': '203.0.113.10', 'user-agent': BROWSER },
    });
    const started = Date.now();
    const response = await worker.fetch(request, workerEnv, ctx);
    // Answered after the 20 ms bound, not after the (never ending) KV read.
    expect(Date.now() - started).toBeLessThan(100);
    expect(response.status).toBe(200);
    // The abandoned read ends (it does not hold waitUntil forever) and is reported.
    await waitOnExecutionContext(ctx);
    expect(errors.join('\n')).toMatch(/took more than 100 ms/);
  });

  it('sends events through the Queue when EVENTS_QUEUE is bound, and the consumer forwards them', async () => {
    const sent: EventBatch[] = [];
    const queue = {
      send: async (body: EventBatch) => void sent.push(body),
      sendBatch: async (messages: Iterable<MessageSendRequest<EventBatch>>) => {
        for (const message of messages) sent.push(message.body);
      },
    } as unknown as Queue<EventBatch>;
    const { send, api, worker, workerEnv } = setup({ EVENTS_QUEUE: queue });
    await send('/', { ua: 'sqlmap/1.8' });
    await send('/about');
    expect(api.batches()).toEqual([]);
    const events = sent.flatMap((batch) => batch.events);
    expect(events.map((e) => [e.path, e.action])).toEqual([
      ['/', 'block'],
      ['/about', 'allow'],
    ]);

    const { createMessageBatch, getQueueResult } = await import('cloudflare:test');
    const batch = createMessageBatch(
      'watchpost-events',
      sent.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, workerEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(sent.length);
    expect(api.batches().map((b) => b.batchId)).toEqual(sent.map((b) => b.batchId));
  });
});
