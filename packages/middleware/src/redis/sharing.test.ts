import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test/memory-sink.js';
import { REDIS_URL, redisMissing, requireRedis, skipRedis, testPrefix } from '../../test/redis.js';
import { createEngine, type Engine } from '../core/engine.js';
import type { BanOptions } from '../core/bans/bans.js';
import { createWatchpostRuntime } from '../core/runtime.js';
import { redisBanSharing, type RedisBanSharingOptions } from './sharing.js';

function req(ip: string) {
  return { ip, method: 'GET', host: 'shop.example', path: '/missing', ua: 'Mozilla/5.0', country: 'JP' };
}

/** `count` errors of `ip` through `engine`, as an app would: decide, then observe the 404. */
function errors(engine: Engine, ip: string, count: number, status = 404): void {
  for (let i = 0; i < count; i++) engine.observe(req(ip), engine.decide(req(ip)), status, 1);
}

const refuses = (engine: Engine, ip: string) => engine.decide(req(ip)).rule === 'ban';
const connected = (...engines: Engine[]) => engines.every((e) => e.stats().sharedBans?.connected === true);

/** Sockets and timers alive in this process (vitest's own included), to compare before and after. */
function handles(): { sockets: number; timers: number } {
  const kinds = process.getActiveResourcesInfo();
  return {
    sockets: kinds.filter((k) => k === 'TCPSocketWrap').length,
    timers: kinds.filter((k) => k === 'Timeout').length,
  };
}

/** Nothing opened since `before` is still open (vitest's own timers may have come and gone). */
function expectNoNewHandles(before: { sockets: number; timers: number }): void {
  const after = handles();
  expect(after.sockets).toBeLessThanOrEqual(before.sockets);
  expect(after.timers).toBeLessThanOrEqual(before.timers);
}

describe('redisBanSharing: options', () => {
  it.each([
    ['neither url nor client', {}, /exactly one of options.url and options.client/],
    ['both', { url: REDIS_URL, client: {} as Redis }, /exactly one/],
    ['an http URL', { url: 'http://127.0.0.1:6379' }, /options.url must be a redis:\/\//],
    ['a client that is not one', { client: {} as Redis }, /options.client must be an ioredis client/],
    ['an empty prefix', { url: REDIS_URL, keyPrefix: '' }, /options.keyPrefix/],
    [
      'a zero flush interval',
      { url: REDIS_URL, flushIntervalMs: 0 },
      /options.flushIntervalMs must be a positive number, got 0/,
    ],
    ['a fractional maxPending', { url: REDIS_URL, maxPending: 1.5 }, /options.maxPending must be a positive integer/],
    ['a negative timeout', { url: REDIS_URL, timeoutMs: -1 }, /options.timeoutMs/],
  ] as Array<[string, RedisBanSharingOptions, RegExp]>)('refuses %s', (_, options, message) => {
    expect(() => redisBanSharing(options)).toThrow(message);
  });
});

describe('redisBanSharing: Redis unreachable (fail open)', () => {
  it('never throws into the app, keeps local bans, counts and reports the error, and closes cleanly', async () => {
    const before = handles();
    const reported: unknown[] = [];
    // Port 1: nothing listens there, connections are refused at once.
    const shared = redisBanSharing({ url: 'redis://127.0.0.1:1', maxPending: 2, reconnect: { baseMs: 20, maxMs: 50 } });
    const engine = createEngine({ bans: { threshold: 3, windowMs: 400, shared }, onError: (e) => reported.push(e) });
    errors(engine, '198.51.100.1', 3);
    errors(engine, '198.51.100.2', 1);
    errors(engine, '198.51.100.3', 1); // a third client: past maxPending, dropped
    expect(engine.stats().sharedBans).toMatchObject({ connected: false, pending: 4, dropped: 1 });
    errors(engine, '198.51.100.1', 1); // the 4th: local ban
    expect(refuses(engine, '198.51.100.1')).toBe(true);
    await until(() => reported.length > 0);
    expect(String(reported[0])).toMatch(
      /shared bans: Redis connection failed \(redis:\/\/127\.0\.0\.1:1\).*ECONNREFUSED/,
    );
    // Reconnection keeps failing; each failure is counted, only the first of the run is reported per connection.
    await until(() => (engine.stats().sharedBans?.errors ?? 0) > 4, 1_000);
    expect(engine.stats().sharedBans!.errors).toBeGreaterThan(4);
    expect(reported.length).toBeLessThanOrEqual(2);
    expect(engine.stats().errors).toBe(reported.length);
    // Past the window, what waited is too old to count anywhere and is let go.
    await until(() => engine.stats().sharedBans?.pending === 0, 1_500);
    expect(engine.stats().sharedBans).toMatchObject({ pending: 0, sent: 0, dropped: 6 });

    const closing = Date.now();
    await engine.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 20));
    expectNoNewHandles(before);
  });
});

if (skipRedis) console.warn(`(redisBanSharing against Redis: skipped, ${redisMissing})`);

describe.skipIf(skipRedis)(
  `redisBanSharing against Redis at ${REDIS_URL}${skipRedis ? ' (SKIPPED: no Redis)' : ''}`,
  () => {
    let admin: Redis;
    let prefix: ReturnType<typeof testPrefix>;
    const open: Engine[] = [];

    beforeAll(async () => {
      requireRedis();
      admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.quit();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((e) => e.close()));
      await prefix?.cleanup();
    });

    /** One app instance: its own engine and its own Redis connections. */
    function instance(
      bans: BanOptions,
      options: Partial<RedisBanSharingOptions> = {},
      onError: (e: unknown) => void = (e) => {
        throw e;
      },
    ): Engine {
      const shared = redisBanSharing({ url: REDIS_URL, keyPrefix: prefix.keyPrefix, ...options });
      const engine = createEngine({ bans: { ...bans, shared }, onError });
      open.push(engine);
      return engine;
    }

    it(
      'two instances, each below the threshold, together past it: both refuse the client within a second, one ' +
        'ban issued',
      async () => {
        prefix = testPrefix(admin);
        const bans = { threshold: 10, windowMs: 10_000, banMs: 60_000 };
        const a = instance(bans);
        const b = instance(bans);
        await until(() => connected(a, b));
        // One client behind the load balancer, two IPv6 addresses of its /64, half the errors each.
        errors(a, '2001:db8:5:6::1', 6);
        errors(b, '2001:db8:5:6::2', 3, 503);
        expect(refuses(a, '2001:db8:5:6::1') || refuses(b, '2001:db8:5:6::2')).toBe(false);
        errors(b, '2001:db8:5:6::2', 2, 429); // 11 > 10 in Redis, 6 and 5 locally
        const crossed = performance.now();
        await until(() => refuses(a, '2001:db8:5:6::abcd') && refuses(b, '2001:db8:5:6::abcd'), 2_000);
        const elapsed = performance.now() - crossed;
        console.info(
          `[shared bans] threshold crossed -> refused on both instances after ${elapsed.toFixed(0)} ms (flush ` +
            `every 100 ms)`,
        );
        expect(refuses(a, '2001:db8:5:6::abcd') && refuses(b, '2001:db8:5:6::abcd')).toBe(true);
        expect(elapsed).toBeLessThan(1_000);
        expect(refuses(a, '2001:db8:5:7::1')).toBe(false); // the next /64 is another client

        const banKey = `${prefix.keyPrefix}ban:2001:db8:5:6::/64`;
        expect(await admin.get(banKey)).toBe('1'); // first offence
        expect(await admin.pttl(banKey)).toBeGreaterThan(55_000);
        expect(await admin.pttl(banKey)).toBeLessThanOrEqual(60_000);
        const [sa, sb] = [a.stats(), b.stats()];
        expect(sa.bansIssued + sb.bansIssued).toBe(0); // no local ban: neither saw enough alone
        expect(sa.sharedBans!.bansIssued + sb.sharedBans!.bansIssued).toBe(1);
        expect(sa.sharedBans!.bansReceived + sb.sharedBans!.bansReceived).toBe(1);
        expect(sa.sharedBans!.sent + sb.sharedBans!.sent).toBe(11);
        expect(sa.bansActive).toBe(1);

        // More errors while banned neither count nor ban again.
        errors(b, '2001:db8:5:6::3', 20);
        await new Promise((r) => setTimeout(r, 250));
        expect(a.stats().sharedBans!.bansIssued + b.stats().sharedBans!.bansIssued).toBe(1);
        expect(await admin.zcard(`${prefix.keyPrefix}bans`)).toBe(1);
      },
    );

    it(
      'a repeat offender gets a longer ban (multiplier), remembered in Redis, and a ban ends on time ' + 'everywhere',
      async () => {
        prefix = testPrefix(admin);
        const bans = { threshold: 3, windowMs: 5_000, banMs: 400, repeatMultiplier: 3 };
        const a = instance(bans);
        const b = instance(bans);
        await until(() => connected(a, b));
        const offend = () => {
          errors(a, '203.0.113.50', 2);
          errors(b, '203.0.113.50', 2);
        };
        offend();
        await until(() => refuses(a, '203.0.113.50') && refuses(b, '203.0.113.50'));
        expect(await admin.pttl(`${prefix.keyPrefix}ban:203.0.113.50`)).toBeLessThanOrEqual(400);
        // The first ban ends on both instances and in Redis.
        await until(() => !refuses(a, '203.0.113.50') && !refuses(b, '203.0.113.50'), 1_000);
        expect(refuses(a, '203.0.113.50') || refuses(b, '203.0.113.50')).toBe(false);
        // Redis let it go too. Its key may outlive the instances' bans by a flush or two on a busy
        // machine (set when the counts reach it, and its clock may lag theirs); its length, at most
        // the ban's 400 ms, was checked above.
        const deadline = Date.now() + 1_000;
        while ((await admin.exists(`${prefix.keyPrefix}ban:203.0.113.50`)) === 1 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 10));
        expect(await admin.exists(`${prefix.keyPrefix}ban:203.0.113.50`)).toBe(0);

        offend();
        await until(() => refuses(a, '203.0.113.50') && refuses(b, '203.0.113.50'));
        const started = Date.now();
        expect(await admin.get(`${prefix.keyPrefix}ban:203.0.113.50`)).toBe('2');
        expect(await admin.pttl(`${prefix.keyPrefix}ban:203.0.113.50`)).toBeGreaterThan(800);
        expect(await admin.pttl(`${prefix.keyPrefix}offences:203.0.113.50`)).toBeGreaterThan(86_400_000);
        // Still refused past the first ban's length: this one lasts 1 200 ms.
        await new Promise((r) => setTimeout(r, 700 - (Date.now() - started)));
        expect(refuses(a, '203.0.113.50') && refuses(b, '203.0.113.50')).toBe(true);
      },
    );

    it('an instance that starts later loads the active bans', async () => {
      prefix = testPrefix(admin);
      const bans = { threshold: 4, windowMs: 10_000, banMs: 60_000 };
      const a = instance(bans);
      const b = instance(bans);
      await until(() => connected(a, b));
      errors(a, '192.0.2.77', 3);
      errors(b, '192.0.2.77', 2);
      await until(() => refuses(a, '192.0.2.77') && refuses(b, '192.0.2.77'));

      const late = instance(bans);
      expect(refuses(late, '192.0.2.77')).toBe(false); // not yet connected
      await until(() => refuses(late, '192.0.2.77'));
      expect(refuses(late, '192.0.2.77')).toBe(true);
      expect(late.stats().sharedBans).toMatchObject({ bansReceived: 1, bansIssued: 0 });
    });

    it('liftBan lifts a ban in Redis and on every instance; a client you pass stays open after close', async () => {
      prefix = testPrefix(admin);
      const bans = { threshold: 2, windowMs: 10_000, banMs: 60_000 };
      const a = instance(bans);
      const shared = redisBanSharing({ client: admin, keyPrefix: prefix.keyPrefix });
      const b = createEngine({ bans: { ...bans, shared } });
      await until(() => connected(a, b));
      errors(a, '192.0.2.88', 2);
      errors(b, '192.0.2.88', 1);
      await until(() => refuses(a, '192.0.2.88') && refuses(b, '192.0.2.88'));
      expect(await shared.liftBan('192.0.2.88')).toBe(true);
      await until(() => !refuses(a, '192.0.2.88') && !refuses(b, '192.0.2.88'));
      expect(refuses(a, '192.0.2.88') || refuses(b, '192.0.2.88')).toBe(false);
      expect(await admin.exists(`${prefix.keyPrefix}ban:192.0.2.88`)).toBe(0);
      await b.close();
      expect(admin.status).toBe('ready');
      await expect(shared.liftBan('192.0.2.88')).rejects.toThrow(/no engine is connected/);
    });

    it(
      'a slow Redis: batches time out, counted and reported once, requests unaffected; sharing resumes ' + 'after',
      async () => {
        prefix = testPrefix(admin);
        const reported: unknown[] = [];
        const bans = { threshold: 3, windowMs: 10_000, banMs: 60_000 };
        const a = instance(bans, { timeoutMs: 150 }, (e) => reported.push(e));
        const b = instance(bans, { timeoutMs: 150 }, (e) => reported.push(e));
        await until(() => connected(a, b));
        const pauser = admin.duplicate();
        // Shorter than the socket timeout (5 × 150 ms): the connection survives, the calls are only slow.
        await pauser.client('PAUSE', 500, 'ALL');
        const started = performance.now();
        errors(a, '198.51.100.60', 2);
        errors(b, '198.51.100.61', 2);
        expect(performance.now() - started).toBeLessThan(50); // decide and observe never wait on Redis
        await until(() => (a.stats().sharedBans?.errors ?? 0) > 0 && (b.stats().sharedBans?.errors ?? 0) > 0);
        expect(
          reported.map(String).every((m) => /sending a batch of errors failed.*timed out after 150 ms/.test(m)),
        ).toBe(true);
        expect(reported).toHaveLength(2); // once per instance, not once per retry
        expect(a.stats().sharedBans).toMatchObject({ pending: 0, sent: 0 }); // in flight: no second batch piles up
        // The late calls land when the pause ends: counted, not resent.
        await until(() => a.stats().sharedBans?.sent === 2 && b.stats().sharedBans?.sent === 2, 2_000);
        expect(a.stats().sharedBans).toMatchObject({ sent: 2, dropped: 0 });
        await pauser.quit();

        errors(a, '198.51.100.62', 2);
        errors(b, '198.51.100.62', 2);
        await until(() => refuses(a, '198.51.100.62') && refuses(b, '198.51.100.62'));
        expect(refuses(a, '198.51.100.62') && refuses(b, '198.51.100.62')).toBe(true);
      },
    );

    it(
      'a Redis that stops answering: the socket is dropped past 5 × timeoutMs, the batch lost and counted, then ' +
        'it reconnects',
      async () => {
        prefix = testPrefix(admin);
        const reported: unknown[] = [];
        const bans = { threshold: 3, windowMs: 10_000, banMs: 60_000 };
        const a = instance(bans, { timeoutMs: 100, reconnect: { baseMs: 50, maxMs: 100 } }, (e) => reported.push(e));
        await until(() => connected(a));
        const pauser = admin.duplicate();
        await pauser.client('PAUSE', 1_200, 'ALL');
        errors(a, '198.51.100.65', 2);
        await until(() => a.stats().sharedBans?.dropped === 2, 2_000);
        expect(a.stats().sharedBans).toMatchObject({ dropped: 2, sent: 0 });
        expect(String(reported[0])).toMatch(/timed out after 100 ms/);
        await pauser.quit();
        await until(() => connected(a), 3_000);
        errors(a, '198.51.100.66', 4);
        await until(() => a.stats().sharedBans?.sent === 4, 2_000);
        expect(await admin.exists(`${prefix.keyPrefix}ban:198.51.100.66`)).toBe(1);
      },
    );

    it("the runtime's close() closes the Redis connections and leaves no open handles", async () => {
      prefix = testPrefix(admin);
      const before = handles();
      const runtime = createWatchpostRuntime(
        {
          bans: { threshold: 1, shared: redisBanSharing({ url: REDIS_URL, keyPrefix: prefix.keyPrefix }) },
          onError: (e) => {
            throw e;
          },
        },
        { source: 'hono' },
      );
      await until(() => connected(runtime.engine));
      const clients = String(await admin.client('LIST'));
      expect(clients.split('\n').filter((line) => line.includes('name=watchpost-bans'))).toHaveLength(2);
      errors(runtime.engine, '198.51.100.70', 1); // pending at close: sent on the way out
      await runtime.close();
      expect(runtime.engine.stats().sharedBans).toMatchObject({ sent: 1, pending: 0 });
      await new Promise((r) => setTimeout(r, 20));
      expectNoNewHandles(before);
    });
  },
);
