import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fakeOrigin, routeFetch } from './test-support/fakes.js';
import { createWorker, type WorkerEnv } from './worker.js';

const options = { threshold: 3, windowMs: 30_000, banMs: 60_000 };
// vitest.config.ts runs the tests with wrangler.jsonc's `exact` environment, where BURSTS is bound.
const bursts = env.BURSTS!;

describe('BurstsDurableObject', () => {
  it('counts one client across callers and bans past the threshold, with the engine ban tracker', async () => {
    const stub = bursts.get(bursts.idFromName('192.0.2.50'));
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await stub.record('192.0.2.50', 404, 1_000_000 + i, options));
    expect(verdicts.map((v) => v.bannedUntil)).toEqual([0, 0, 0, 1_000_003 + 60_000]);
    // A later record (from any isolate) learns the ban; successes do not count.
    expect(await stub.record('192.0.2.50', 200, 1_000_010, options)).toEqual({ bannedUntil: 1_060_003 });
    expect(await stub.bannedUntil(1_000_010)).toBe(1_060_003);
    expect(await stub.bannedUntil(1_060_004)).toBe(0);
  });

  it('ignores 2xx and 3xx', async () => {
    const stub = bursts.get(bursts.idFromName('192.0.2.51'));
    for (let i = 0; i < 10; i++)
      expect(await stub.record('192.0.2.51', 301, 2_000_000 + i, options)).toEqual({ bannedUntil: 0 });
  });
});

describe('BurstsDurableObject.rate', () => {
  const rule = {
    rule: 'rate:scrapers',
    limit: 3,
    windowMs: 10_000,
    banMs: 60_000,
    status: 429 as const,
    action: 'block' as const,
  };

  it('counts every caller in one object and bans the (rule, key) past the limit, as the engine does', async () => {
    const stub = bursts.get(bursts.idFromName('rate:192.0.2.60'));
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await stub.rate([{ ...rule, key: '192.0.2.60' }], 5_000_000 + i));
    expect(verdicts.map((v) => v.hit?.rule ?? null)).toEqual([null, null, null, 'rate:scrapers']);
    expect(verdicts[3]).toMatchObject({ key: '192.0.2.60', bannedUntil: 5_000_003 + 60_000 });
    expect(verdicts[3]!.hit).toEqual({ rule: 'rate:scrapers', action: 'block', status: 429, retryAfterS: 60 });
    // Refused under that rule until the ban ends; the Retry-After counts down.
    const later = await stub.rate([{ ...rule, key: '192.0.2.60' }], 5_050_000);
    expect(later).toMatchObject({ bannedUntil: 5_060_003, hit: { retryAfterS: 11 } });
    // Another rule, or nothing matched, is not refused by it.
    expect(await stub.rate([{ ...rule, rule: 'rate:other', key: '192.0.2.60' }], 5_050_001)).toMatchObject({
      hit: null,
    });
    expect(await stub.rate([], 5_050_002)).toEqual({ hit: null, key: null, bannedUntil: 0 });
    // Then counting starts over.
    expect((await stub.rate([{ ...rule, key: '192.0.2.60' }], 5_060_004)).hit).toBeNull();
  });

  it('only reports count-mode rules, keeps keys apart, and lets the first refusal win', async () => {
    const stub = bursts.get(bursts.idFromName('rate:192.0.2.61'));
    const counting = { ...rule, rule: 'rate:counting', action: 'count' as const, key: '192.0.2.61' };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await stub.rate([counting], 6_000_000 + i));
    expect(results.map((r) => r.hit?.action ?? null)).toEqual([null, null, null, 'count', 'count']);
    expect(results.every((r) => r.bannedUntil === 0)).toBe(true);
    const perPath = { ...rule, key: '192.0.2.61 /a' };
    expect((await stub.rate([perPath], 6_000_010)).hit).toBeNull();
    // A counted rule and a refusing one: the refusal is the verdict.
    for (let i = 0; i < 3; i++) await stub.rate([perPath], 6_000_020 + i);
    const both = await stub.rate([counting, perPath], 6_000_030);
    expect(both).toMatchObject({ hit: { rule: 'rate:scrapers', action: 'block' }, key: '192.0.2.61 /a' });
  });
});

describe('bursts across isolates', () => {
  function isolate(origin: ReturnType<typeof fakeOrigin>, withBursts: boolean) {
    const worker = createWorker({ fetch: routeFetch(origin), onError: () => {} });
    const workerEnv: WorkerEnv = {
      ORIGIN_URL: origin.base,
      BURST_THRESHOLD: '3',
      ...(withBursts ? { BURSTS: bursts } : {}),
    };
    return async (ip: string) => {
      const ctx = createExecutionContext();
      const request = new Request('https://shop.example/missing', {
        headers: { 'cf-connecting-ip': ip, 'user-agent': 'Mozilla/5.0' },
      });
      const response = await worker.fetch(request, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response.status;
    };
  }

  it('bans a client whose errors are spread over two isolates once the sum passes the threshold', async () => {
    const origin = fakeOrigin();
    origin.state.status = 404;
    const first = isolate(origin, true);
    const second = isolate(origin, true);
    const ip = '198.18.0.1';
    expect([await first(ip), await first(ip), await second(ip), await second(ip)]).toEqual([404, 404, 404, 404]);
    // The second isolate's own counter saw 2 errors; the Durable Object saw 4 and banned.
    expect(await second(ip)).toBe(403);
    // The first isolate learns the ban on its next error, then refuses too.
    expect([await first(ip), await first(ip)]).toEqual([404, 403]);
    expect(await second('198.18.0.2')).toBe(404);
  });

  it('without the BURSTS binding each isolate counts alone', async () => {
    const origin = fakeOrigin();
    origin.state.status = 404;
    const first = isolate(origin, false);
    const second = isolate(origin, false);
    const ip = '198.18.0.9';
    expect([await first(ip), await first(ip), await second(ip), await second(ip), await second(ip)]).toEqual([
      404, 404, 404, 404, 404,
    ]);
  });
});
