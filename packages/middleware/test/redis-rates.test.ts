import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type RequestFacts } from '../src/index.js';
import { redisRateSharing } from '../src/redis/index.js';
import { REDIS_URL, requireRedis, skipRedis, testPrefix } from './redis.js';
import { until } from './memory-sink.js';

const facts: RequestFacts = { ip: '198.51.100.9', method: 'GET', host: 'h', path: '/', ua: 'curl/8', country: null };
const rule = { name: 'shared', limit: 10, windowMs: 60_000 } as const;

describe.skipIf(skipRedis)('rate counters shared through Redis', () => {
  let admin: Redis;
  const engines: Engine[] = [];
  beforeAll(() => {
    requireRedis();
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    admin.disconnect();
  });

  it('two instances on one Redis refuse a client together once their sum passes the limit', async () => {
    const { keyPrefix, cleanup } = testPrefix(admin);
    const make = () =>
      createEngine({
        rateRules: [rule],
        rateSharing: redisRateSharing({ url: REDIS_URL, keyPrefix, flushIntervalMs: 20 }),
      });
    const a = make();
    const b = make();
    engines.push(a, b);
    await until(() => a.stats().rate?.shared?.connected === true && b.stats().rate?.shared?.connected === true);
    // 6 + 6 = 12 requests: each instance alone stays under 10.
    for (let i = 0; i < 6; i++) expect(a.decide(facts).action).toBe('allow');
    for (let i = 0; i < 6; i++) expect(b.decide(facts).action).toBe('allow');
    // B's batch brought the sum to 12: B refuses. A learns it from its next batch (one flush interval).
    await until(() => (b.stats().rate?.bansActive ?? 0) > 0);
    expect(b.stats().rate?.bansActive).toBe(1);
    expect(a.decide(facts).action).toBe('allow');
    await until(() => (a.stats().rate?.bansActive ?? 0) > 0);
    expect(a.decide(facts)).toMatchObject({ action: 'block', rule: 'rate:shared', status: 429 });
    expect(b.decide(facts)).toMatchObject({ action: 'block', rule: 'rate:shared', status: 429 });
    expect(a.stats().rate?.shared).toMatchObject({ sent: 7, errors: 0, bansIssued: 1 });
    expect(a.decide({ ...facts, ip: '198.51.100.10' }).action).toBe('allow');
    await cleanup();
  });

  it('fails open: with Redis unreachable requests are decided locally and errors counted', async () => {
    const errors: unknown[] = [];
    const engine = createEngine({
      rateRules: [rule],
      rateSharing: redisRateSharing({ url: 'redis://127.0.0.1:1', flushIntervalMs: 20 }),
      onError: (error) => errors.push(error),
    });
    engines.push(engine);
    for (let i = 0; i < 10; i++) expect(engine.decide(facts).action).toBe('allow');
    expect(engine.decide(facts).action).toBe('block');
    await until(() => errors.length > 0);
    expect(engine.stats().rate?.shared).toMatchObject({ connected: false, dropped: 11 });
  });

  it('validates its options', () => {
    expect(() => redisRateSharing({ url: 'http://x' })).toThrow(/options\.url/);
    expect(() => redisRateSharing({ url: REDIS_URL, flushIntervalMs: 0 })).toThrow(/flushIntervalMs/);
    expect(() => createEngine({ rateRules: [rule], rateSharing: {} as never })).toThrow(/options\.rateSharing/);
  });
});
