import { readFileSync } from 'node:fs';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { createRandom } from './support/random.js';
import { batch, event, post, tempStore } from './helpers.js';
import { describePostgres, tempPostgresStore } from './postgres.js';
import { storeContract } from './store-contract/index.js';

// The store contract on PostgreSQL, each test in a fresh schema of its own; then what only a shared
// database shows: several report-api instances on one PostgreSQL.
describePostgres('store contract: postgres', () => {
  storeContract(async (now) => {
    const t = await tempPostgresStore({ now });
    return { store: t.store, reopen: () => t.open(), cleanup: t.cleanup };
  });
});

const T = Date.UTC(2026, 2, 1, 12);

describePostgres('postgres store', () => {
  let t: Awaited<ReturnType<typeof tempPostgresStore>> | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('refuses a batch whose text holds a NUL whole, and stores the next one on the same connections', async () => {
    // PostgreSQL text cannot hold U+0000 (ingest refuses it before the store; here the store is called
    // directly): the COPY fails, the batch's transaction rolls back, its id stays free for a retry.
    t = await tempPostgresStore({ maxConnections: 1 });
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const poisoned = batch([event({ path: '/ok' }), event({ ua: 'evil\u0000agent' })]);
    await expect(t.store.ingestBatch(site.id, poisoned)).rejects.toThrow(/0x00/);
    expect(await t.store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toEqual([]);
    const retried = { ...poisoned, events: [event({ path: '/ok' }), event({ ua: 'agent' })] };
    expect(await t.store.ingestBatch(site.id, retried)).toEqual({ accepted: 2, duplicate: false });
    expect((await t.store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).map((e) => e.ua)).toEqual([
      'agent',
      'Mozilla/5.0',
    ]);
  });

  it('leaves room on the pages of the rollup tables every batch updates (migration 0021)', async () => {
    t = await tempPostgresStore();
    const { rows } = await t.store.pool.query<{ relname: string; reloptions: string[] | null }>(
      'SELECT relname, reloptions FROM pg_class WHERE relnamespace = $1::regnamespace ORDER BY relname',
      [t.schema],
    );
    const options = new Map(rows.map((r) => [r.relname, r.reloptions]));
    for (const table of ['rollup_day', 'traffic_15m', 'errors_5s'])
      expect(options.get(table)).toEqual(['fillfactor=70']);
    expect(options.get('ip_errors_5s')).toBeNull();
  });

  it('stores only sha256 hashes of the keys', async () => {
    t = await tempPostgresStore();
    const { ingestKey, adminKey } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
    const { rows } = await t.store.pool.query<{ hash: string }>('SELECT hash FROM api_keys');
    expect(rows.map((r) => r.hash)).not.toContain(ingestKey);
    expect(rows.map((r) => r.hash)).not.toContain(adminKey);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });

  it(
    'two instances on one database: a batch retried on the other instance at the same time is stored ' + 'once',
    async () => {
      t = await tempPostgresStore();
      const other = await t.open();
      const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      for (let round = 0; round < 10; round++) {
        const sent = batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.2', status: 500 })]);
        const answers = await Promise.all([
          t.store.ingestBatch(site.id, sent),
          other.ingestBatch(site.id, sent),
          t.store.ingestBatch(site.id, sent),
          other.ingestBatch(site.id, sent),
        ]);
        expect(answers.filter((a) => !a.duplicate)).toEqual([{ accepted: 2, duplicate: false }]);
      }
      // Each instance reads every write at once, rollups included (nothing is held in memory).
      for (const store of [t.store, other]) {
        expect(await store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(20);
        expect(
          (await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 5 })).map((r) => [
            r.key,
            r.requests,
          ]),
        ).toEqual([
          ['192.0.2.1', 10],
          ['192.0.2.2', 10],
        ]);
        expect(await store.errorBuckets(site.id, 0, T * 2)).toEqual([{ start: T, errors: 10 }]);
      }
    },
  );

  it('two instances ingesting batches that share rollup rows never deadlock and lose nothing', async () => {
    t = await tempPostgresStore({ maxConnections: 6 });
    const other = await t.open({ maxConnections: 6 });
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    // Every batch has a quarter hour of its own (so the traffic rows do not queue them up) but the
    // same day rows (IPs, paths), half of them in the opposite order: without one lock order for
    // all transactions these deadlock.
    const ips = Array.from({ length: 40 }, (_, i) => `192.0.2.${i}`);
    const batches = Array.from({ length: 24 }, (_, b) => {
      const order = b % 2 === 0 ? ips : [...ips].reverse();
      return batch(
        order.map((ip, i) =>
          event({
            ts: T + b * 900_000 + i,
            ip,
            country: `X${String.fromCharCode(65 + (Number(ip.split('.')[3]) % 26))}`,
            path: `/p${i % 7}`,
            status: i % 5 === 0 ? 404 : 200,
          }),
        ),
      );
    });
    const answers = await Promise.all(
      batches.map((sent, i) => (i % 2 === 0 ? t!.store : other).ingestBatch(site.id, sent)),
    );
    expect(answers.every((a) => a.accepted === 40 && !a.duplicate)).toBe(true);
    const rows = await other.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 100 });
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.requests === 24)).toBe(true);
    expect((await t.store.trafficBuckets(site.id, 0, T * 2)).map((b) => b.requests)).toEqual(Array(24).fill(40));
    expect(await t.store.countDimension(site.id, '2026-03-01', 'path')).toBe(7);
  });

  it('two instances purging at once delete each event once', async () => {
    t = await tempPostgresStore();
    const other = await t.open();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await t.store.ingestBatch(site.id, batch(Array.from({ length: 50 }, (_, i) => event({ ts: T - 10_000 + i }))));
    const [a, b] = await Promise.all([t.store.purgeBefore(T), other.purgeBefore(T)]);
    const [again] = await Promise.all([t.store.purgeBefore(T)]);
    expect(a.events + b.events + again.events).toBe(50);
    expect(await other.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).toEqual([]);
  });

  it('instances starting at once on a fresh schema migrate it once', async () => {
    t = await tempPostgresStore();
    const stores = await Promise.all([t.open(), t.open(), t.open()]);
    const { site } = await stores[0]!.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    expect(await stores[2]!.getSite(site.id)).toEqual(site);
    const { rows } = await t.store.pool.query<{ n: number }>('SELECT count(*) AS n FROM __drizzle_migrations');
    // Each migration of drizzle-pg/ recorded once, not once per instance.
    const journal = JSON.parse(readFileSync(new URL('../drizzle-pg/meta/_journal.json', import.meta.url), 'utf8')) as {
      entries: unknown[];
    };
    expect(Number(rows[0]!.n)).toBe(journal.entries.length);
  });

  it('refuses calls after close() and closes twice without error', async () => {
    t = await tempPostgresStore();
    const store = await t.open();
    await store.close();
    await store.close();
    await expect(store.listSites()).rejects.toThrow(/closed/);
  });
});

describe('openPostgresStore options', () => {
  it.each([
    ['a SQLite path', { url: './watchpost.db' }, /postgres:\/\//],
    ['an http URL', { url: 'http://127.0.0.1:5432/x' }, /postgres:\/\//],
    ['a schema with a quote', { url: 'postgres://127.0.0.1/x', schema: 'a"b' }, /schema/],
    ['no connections', { url: 'postgres://127.0.0.1/x', maxConnections: 0 }, /maxConnections/],
  ])('refuses %s with a TypeError naming it', async (_name, options, message) => {
    await expect(openPostgresStore(options)).rejects.toThrow(TypeError);
    await expect(openPostgresStore(options)).rejects.toThrow(message);
  });

  it('rejects when the server cannot be reached, without the password in the message', async () => {
    const failure = openPostgresStore({
      url: 'postgres://watchpost:s3cret@127.0.0.1:1/watchpost',
      connectTimeoutMs: 2000,
    });
    await expect(failure).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });
});

/** Two days of mixed traffic for one site, in batches: sampled browsers, bots, scanners, count mode, bursts. */
function traffic(): WatchpostEvent[][] {
  const random = createRandom(7);
  const countries = ['JP', 'JP', 'US', 'DE', null] as const;
  const uas = [
    ['Mozilla/5.0 (X11)', null],
    ['curl/8.5.0', 'http-client'],
    ['Googlebot/2.1', 'search-engine'],
    ['sqlmap/1.7', 'scanner'],
  ] as const;
  const events: WatchpostEvent[] = [];
  const start = Date.UTC(2026, 1, 27, 15); // 00:00 on 28 Feb in Tokyo
  for (let i = 0; i < 4000; i++) {
    const ts = start + Math.floor((i / 4000) * 2 * 86_400_000);
    const ipNo = random.int(1, 60);
    const [ua, botCategory] = uas[ipNo % 11 === 0 ? 3 : random.int(0, 2)]!;
    const probe = botCategory === 'scanner';
    const status = probe ? 403 : random.pick([200, 200, 200, 200, 304, 404, 500, 503]);
    events.push(
      event({
        ts,
        ip: `198.51.100.${ipNo}`,
        country: countries[ipNo % countries.length]!,
        path: probe
          ? random.pick(['/.env', '/.git/config'])
          : random.pick(['/', '/login', '/cart', `/item/${random.int(1, 30)}`]),
        status,
        ua,
        botCategory,
        action: probe ? (ipNo % 2 === 0 ? 'block' : 'count') : 'allow',
        rule: probe ? 'probe-sensitive-path' : null,
        sampleRate: status >= 400 || probe ? 1 : random.pick([1, 0.5, 0.25, 0.1]),
      }),
    );
  }
  // An error burst: one IP answered 5xx 150 times within 30 s.
  for (let i = 0; i < 150; i++)
    events.push(
      event({
        ts: Date.UTC(2026, 2, 1, 3, 0, 5) + i * 100,
        ip: '203.0.113.66',
        country: 'CN',
        status: 502,
        path: '/api',
      }),
    );
  events.sort((a, b) => a.ts - b.ts);
  const batches: WatchpostEvent[][] = [];
  for (let i = 0; i < events.length; i += 500) batches.push(events.slice(i, i + 500));
  return batches;
}

describePostgres('daily report on postgres', () => {
  it('GET /v1/reports/daily answers the same JSON as on SQLite for the same events', async () => {
    const sqlite = tempStore();
    const pg = await tempPostgresStore();
    try {
      const reports: unknown[] = [];
      const sent = traffic().map((events) => batch(events));
      for (const store of [sqlite.store, pg.store]) {
        const { adminKey, ingestKey } = await store.createSite({
          name: 'shop',
          timeZone: 'Asia/Tokyo',
          homeCountry: 'JP',
        });
        const app = createApp({ store, now: () => Date.UTC(2026, 2, 3), logError: () => undefined });
        for (const b of sent) expect((await app.request('/v1/events', post(ingestKey, b))).status).toBe(202);
        await store.addDenyEntry(
          (await store.resolveKey(adminKey))!.site.id,
          { value: '198.51.100.11', reason: 'scanner', source: 'manual', expiresAt: null },
          Date.UTC(2026, 2, 1),
        );
        const res = await app.request('/v1/reports/daily?date=2026-03-01', {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        expect(res.status).toBe(200);
        const report = (await res.json()) as { site: { id: string }; totals: { requests: number } };
        reports.push({ ...report, site: { ...report.site, id: 'site' } });
      }
      const [fromSqlite, fromPostgres] = reports as Array<{
        totals: { requests: number };
        topIps: unknown[];
        bursts: unknown[];
        recommendations: unknown[];
      }>;
      // Not an empty comparison: the day has traffic, IPs, a burst and recommendations.
      expect(fromSqlite!.totals.requests).toBeGreaterThan(2000);
      expect(fromSqlite!.topIps.length).toBeGreaterThan(5);
      expect(fromSqlite!.bursts.length).toBeGreaterThan(0);
      expect(fromSqlite!.recommendations.length).toBeGreaterThan(0);
      expect(fromPostgres).toEqual(fromSqlite);
    } finally {
      await sqlite.cleanup();
      await pg.cleanup();
    }
  });
});
