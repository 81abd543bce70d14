import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { denyEntry, fakeOrigin, fakeReportApi, routeFetch } from '../test-support/fakes.js';
import { createWorker, type WorkerEnv } from '../worker.js';
import { bearerMatches, createNoticeBudget, createPullCoalescer, DENYLIST_NOTICE_PATH } from './notice.js';
import { DENYLIST_KEY } from './stored.js';

describe('bearerMatches', () => {
  it.each([
    ['the key', 'Bearer test-ingest-key', true],
    ['a wrong key', 'Bearer test-ingest-kez', false],
    ['a prefix of the key', 'Bearer test-ingest', false],
    ['the key and more', 'Bearer test-ingest-key-and-more', false],
    ['no scheme', 'test-ingest-key', false],
    ['another scheme', 'Basic test-ingest-key', false],
    ['an empty bearer', 'Bearer ', false],
    ['no header', null, false],
    ['control bytes', 'Bearer test-ingest-key\u0000', false],
  ])('%s', async (_name, header, expected) => {
    expect(await bearerMatches(header, 'test-ingest-key')).toBe(expected);
  });

  it('never matches an empty key', async () => {
    expect(await bearerMatches('Bearer ', '')).toBe(false);
  });
});

describe('createNoticeBudget', () => {
  it('allows `limit` per window, then refuses with the seconds left, and refunds', () => {
    const budget = createNoticeBudget({ limit: 2, windowMs: 10_000 });
    expect([budget.take(1_000), budget.take(2_000), budget.take(3_000)]).toEqual([true, true, false]);
    expect(budget.retryAfterS(3_000)).toBe(8);
    budget.refund();
    expect(budget.take(3_500)).toBe(true);
    expect(budget.take(11_000)).toBe(true);
  });
});

describe('createPullCoalescer', () => {
  it('runs one pull at a time and at most one more after it, however many notices arrive', async () => {
    let pulls = 0;
    let release: () => void = () => {};
    const pull = () => {
      pulls++;
      return new Promise<void>((resolve) => (release = resolve));
    };
    const coalescer = createPullCoalescer(pull);
    const first = coalescer.request();
    const later = [coalescer.request(), coalescer.request(), coalescer.request()];
    expect(pulls).toBe(1);
    release();
    await first;
    await Promise.resolve();
    expect(pulls).toBe(2);
    release();
    await Promise.all(later);
    expect(pulls).toBe(2);
  });
});

describe('POST /__watchpost/denylist-changed', () => {
  beforeEach(async () => {
    await env.DENYLIST.delete(DENYLIST_KEY);
  });

  function setup(vars: Partial<WorkerEnv> = {}) {
    const origin = fakeOrigin();
    const api = fakeReportApi();
    const errors: string[] = [];
    const clock = { now: 1_000_000 };
    const worker = createWorker({
      fetch: routeFetch(origin, api),
      now: () => clock.now,
      onError: (error, where) => errors.push(`${where}: ${String(error)}`),
      sleep: async () => {},
    });
    const workerEnv: WorkerEnv = {
      DENYLIST: env.DENYLIST,
      ORIGIN_URL: origin.base,
      REPORT_API_URL: api.base,
      INGEST_KEY: 'test-ingest-key',
      EVENTS_FLUSH_MS: '0',
      // Long: without the notice, a new entry would wait for the cron and this TTL.
      DENYLIST_TTL_MS: '3600000',
      ...vars,
    };
    async function send(path: string, init: RequestInit = {}, ip = '203.0.113.10') {
      const headers = new Headers(init.headers);
      headers.set('cf-connecting-ip', ip);
      headers.set('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0');
      const ctx = createExecutionContext();
      const response = await worker.fetch(
        new Request(`https://shop.example${path}`, { ...init, headers }),
        workerEnv,
        ctx,
      );
      await response.text();
      await waitOnExecutionContext(ctx);
      return response;
    }
    const notice = (key = 'test-ingest-key', method = 'POST') =>
      send(DENYLIST_NOTICE_PATH, { method, headers: { authorization: `Bearer ${key}` } });
    const pulls = () => api.seen.filter((request) => new URL(request.url).pathname === '/v1/denylist').length;
    return { send, notice, api, origin, errors, clock, pulls };
  }

  it('pulls at once and refuses a newly denied IP in this isolate on the next request', async () => {
    const edge = setup();
    expect((await edge.send('/')).status).toBe(200);
    edge.api.state.entries = [denyEntry('203.0.113.10')];
    edge.api.state.version = 'v1';
    expect((await edge.send('/')).status).toBe(200); // the isolate's copy is an hour fresh
    const answer = await edge.notice();
    expect(answer.status).toBe(202);
    expect(edge.pulls()).toBe(1);
    expect((await edge.send('/')).status).toBe(403);
    // Stored in KV for the other isolates, with its ETag.
    expect(await env.DENYLIST.get(DENYLIST_KEY, 'json')).toMatchObject({ version: 'v1', etag: '"v1"' });
    expect(edge.errors).toEqual([]);
  });

  it('never reaches the origin: wrong key 401, other methods 405, no sync 404, then 429 past the budget', async () => {
    const edge = setup();
    expect((await edge.notice('wrong-key')).status).toBe(401);
    expect((await edge.notice('test-ingest-key', 'GET')).status).toBe(405);
    expect((await edge.send(`${DENYLIST_NOTICE_PATH}?x=1`, { method: 'PUT' })).status).toBe(405);
    for (let i = 0; i < 9; i++) await edge.notice(`guess-${i}`);
    const refused = await edge.notice('test-ingest-key');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    edge.clock.now += 10_000;
    expect((await edge.notice()).status).toBe(202);
    expect(edge.origin.seen).toEqual([]);
    expect(edge.pulls()).toBe(1);
    const off = setup({ REPORT_API_URL: '' });
    expect((await off.notice()).status).toBe(404);
    expect(off.origin.seen).toEqual([]);
  });

  it('bounds accepted notices too: a flood of valid ones pulls at most 10 times per 10 s', async () => {
    const edge = setup();
    const statuses = [];
    for (let i = 0; i < 15; i++) statuses.push((await edge.notice()).status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    expect(edge.pulls()).toBeLessThanOrEqual(10);
  });

  it('keeps the old list when the pull fails, and says so', async () => {
    const edge = setup();
    edge.api.state.denyListStatus = 503;
    expect((await edge.notice()).status).toBe(202);
    expect((await edge.send('/')).status).toBe(200);
    expect(edge.errors).toEqual(['deny list pull (notice): Error: report API answered 503']);
  });
});
