import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batch, event } from '../../../test/helpers.js';
import type { Store } from '../store.js';
import { openSqliteStore } from './open.js';
import { startWriter } from './writer.js';

const T = Date.UTC(2026, 2, 1, 12);
let dir: string;
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string, options: Partial<Parameters<typeof openSqliteStore>[0]> = {}) {
  dir ??= mkdtempSync(join(tmpdir(), 'watchpost-writer-'));
  const store = openSqliteStore({ path: join(dir, name), ...options });
  opened.push(store);
  return store;
}
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'watchpost-writer-')));

type Db = ReturnType<typeof openSqliteStore>['db'];
const snapshot = (db: Db) => ({
  day: db
    .prepare(
      'SELECT day, dim, key, extra, requests, blocked, s2xx, s4xx, s5xx, probes, scanner FROM rollup_day ORDER ' +
        'BY day, dim, key',
    )
    .all(),
  quarters: db.prepare('SELECT start, requests, s4xx FROM traffic_15m ORDER BY start').all(),
  errors: db.prepare('SELECT start, errors FROM errors_5s ORDER BY start').all(),
  ipErrors: db.prepare('SELECT start, ip, errors FROM ip_errors_5s ORDER BY start, ip').all(),
  events: db
    .prepare(
      'SELECT ts, ip, country, path, status, ua, action, rule, bot_category, sample_rate, asn FROM events ORDER BY id',
    )
    .all(),
});
const backlogRows = (db: Db) => (db.prepare('SELECT count(*) AS n FROM rollup_backlog').get() as { n: number }).n;

/** Mixed traffic over two local days: errors, a probe, a scanner, a sampled event, an ASN. */
const traffic = () =>
  [0, 1, 2, 3].map((b) =>
    batch(
      Array.from({ length: 40 }, (_, i) =>
        event({
          ts: T + b * 7_200_000 + i * 1_000,
          ip: `198.51.100.${(i * 7 + b) % 30}`,
          country: i % 4 === 0 ? null : 'JP',
          path: i % 9 === 0 ? '/.env' : `/p/${i % 5}`,
          status: i % 6 === 0 ? 404 : i % 11 === 0 ? 503 : 200,
          action: i % 9 === 0 ? 'block' : 'allow',
          rule: i % 9 === 0 ? 'probe:env' : null,
          botCategory: i % 13 === 0 ? 'scanner' : null,
          sampleRate: i % 8 === 0 ? 0.25 : 1,
          ua: i % 13 === 0 ? 'Nuclei' : 'Mozilla/5.0 "quoted" ünïcode ✓',
          ...(i % 10 === 0 ? { asn: 64500 + i } : {}),
        }),
      ),
    ),
  );

describe('sqlite writer thread', () => {
  it(
    'stores the same raw events and rollups as the inline store, duplicates and a failing batch ' + 'included',
    async () => {
      fresh();
      const results: Array<ReturnType<typeof snapshot>> = [];
      for (const writerThread of [false, true]) {
        const store = open(`${writerThread}.db`, { writerThread, rollups: { flushMs: 60_000 } });
        const { site } = await store.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
        const batches = traffic();
        const broken = batch([event({ ts: T }), event({ ts: T, method: null as unknown as string })]);
        const settled = await Promise.allSettled(
          [...batches, broken, batches[1]!].map((b) => store.ingestBatch(site.id, b)),
        );
        expect(settled.map((s) => s.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'fulfilled',
          'fulfilled',
          'rejected',
          'fulfilled',
        ]);
        expect((settled[5] as PromiseFulfilledResult<unknown>).value).toEqual({ accepted: 0, duplicate: true });
        // A read writes what is held.
        expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBeGreaterThan(0);
        results.push(snapshot(store.db));
        expect(backlogRows(store.db)).toBe(0);
      }
      expect(results[0]!.events).toHaveLength(160);
      expect(results[0]!.day.length).toBeGreaterThan(40);
      expect(results[1]).toEqual(results[0]);
    },
  );

  it('every read issued together right after an ingest sees it', async () => {
    fresh();
    const store = open('w.db', { writerThread: true, rollups: { flushMs: 60_000 } });
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await Promise.all(traffic().map((b) => store.ingestBatch(site.id, b)));
    const [ips, top, buckets] = await Promise.all([
      store.countDimension(site.id, '2026-03-01', 'ip'),
      store.topDimension(site.id, '2026-03-01', 'path', { orderBy: 'requests', limit: 50 }),
      store.trafficBuckets(site.id, T - 86_400_000, T + 86_400_000),
    ]);
    expect(ips).toBe(30);
    expect(top.reduce((sum, row) => sum + row.requests, 0)).toBe(buckets.reduce((sum, b) => sum + b.requests, 0));
    expect(buckets.reduce((sum, b) => sum + b.requests, 0)).toBe(4 * (35 + 5 * 4));
  });

  it('writes rollups once flushEvents are waiting, without a read, and clears their backlog rows', async () => {
    fresh();
    const store = open('w.db', { writerThread: true, rollups: { flushEvents: 80, flushMs: 60_000 } });
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const [a, b, c] = traffic();
    await store.ingestBatch(site.id, a!);
    expect(backlogRows(store.db)).toBe(1);
    await store.ingestBatch(site.id, b!);
    await expect.poll(() => backlogRows(store.db)).toBe(0);
    expect((store.db.prepare('SELECT sum(requests) AS n FROM traffic_15m').get() as { n: number }).n).toBe(2 * 55);
    await store.ingestBatch(site.id, c!);
    expect(backlogRows(store.db)).toBe(1);
  });

  it('close() writes the batches in flight and the rollups held, and ends the thread', async () => {
    fresh();
    const store = openSqliteStore({ path: join(dir, 'w.db'), writerThread: true, rollups: { flushMs: 60_000 } });
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const pending = traffic().map((b) => store.ingestBatch(site.id, b));
    await store.close();
    expect(await Promise.all(pending)).toEqual(Array(4).fill({ accepted: 40, duplicate: false }));
    await expect(store.ingestBatch(site.id, batch([event()]))).rejects.toThrow();
    const reopened = open('w.db');
    expect(backlogRows(reopened.db)).toBe(0);
    expect(await reopened.countDimension(site.id, '2026-03-01', 'ip')).toBe(30);
  });

  it(
    'a process that dies with rollups in memory loses nothing: the next open rebuilds them from raw ' + 'events',
    async () => {
      fresh();
      const path = join(dir, 'crash.db');
      const setup = openSqliteStore({ path });
      const { site } = await setup.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await setup.close();
      const batches = traffic();
      const script = join(dir, 'crash.mts');
      const openUrl = new URL('./open.ts', import.meta.url).href;
      writeFileSync(
        script,
        `import { openSqliteStore } from ${JSON.stringify(openUrl)};
const store = openSqliteStore({ path: ${JSON.stringify(path)}, writerThread: true, rollups: { flushMs: 60000 } });
for (const b of ${JSON.stringify(batches)}) await store.ingestBatch(${JSON.stringify(site.id)}, b);
process.exit(0); // no close(): the rollups held in memory are never written`,
      );
      const tsx = fileURLToPath(import.meta.resolve('tsx/esm'));
      const child = spawnSync(process.execPath, ['--import', tsx, script], { encoding: 'utf8', timeout: 30_000 });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const raw = new (await import('better-sqlite3')).default(path, { readonly: true });
      expect((raw.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(160);
      expect(backlogRows(raw)).toBe(4);
      expect((raw.prepare('SELECT count(*) AS n FROM rollup_day').get() as { n: number }).n).toBe(0);
      raw.close();

      const reference = open('reference.db', { rollups: { flushMs: 60_000 } });
      const other = await reference.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      for (const b of batches) await reference.ingestBatch(other.site.id, b);
      await reference.countDimension(other.site.id, '2026-03-01', 'ip');

      const reopened = open('crash.db', { writerThread: true });
      expect(await reopened.countDimension(site.id, '2026-03-01', 'ip')).toBe(30);
      expect(backlogRows(reopened.db)).toBe(0);
      expect(snapshot(reopened.db)).toEqual(snapshot(reference.db));
    },
  );

  it('a rollup write that fails is kept by the thread and written once by the next flush', async () => {
    fresh();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = open('w.db', { writerThread: true, rollups: { flushMs: 60_000 } });
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    for (const b of traffic()) await store.ingestBatch(site.id, b);
    store.db.exec(
      "CREATE TRIGGER no_rollups BEFORE INSERT ON rollup_day BEGIN SELECT RAISE(ABORT, 'disk is full'); END",
    );
    expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(0); // the read still answers
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('rollup flush'),
      expect.objectContaining({ message: 'disk is full' }),
    );
    expect(backlogRows(store.db)).toBe(4);
    store.db.exec('DROP TRIGGER no_rollups');
    await store.ingestBatch(site.id, batch([event({ ts: T, ip: '203.0.113.200' })]));
    expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(31);
    expect(backlogRows(store.db)).toBe(0);
    const total = (store.db.prepare('SELECT sum(requests) AS n FROM traffic_15m').get() as { n: number }).n;
    expect(total).toBe(4 * 55 + 1);
    logged.mockRestore();
  });

  it('a thread that cannot start rejects every request with its reason and reports it once', async () => {
    fresh();
    const path = join(dir, 'not-a-database.db');
    writeFileSync(path, 'this is a text file, not SQLite '.repeat(200));
    const failures: Error[] = [];
    const writer = startWriter({
      path,
      options: {},
      localDayOfSite: () => () => '2026-03-01',
      onFailure: (error) => failures.push(error),
    });
    await expect(writer.ingestBatchAt('site_x', batch([event()]), T)).rejects.toThrow(/not a database/);
    await expect(writer.purgeBefore(T)).rejects.toThrow(/not a database/);
    await writer.flushForRead(); // reads still answer, from what is stored
    await writer.close();
    expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/not a database/)]);
  });

  it('refuses an in-memory database and rollup callbacks, which cannot cross to the thread', () => {
    expect(() => openSqliteStore({ path: ':memory:', writerThread: true })).toThrow(/needs a database file/);
    fresh();
    expect(() =>
      openSqliteStore({ path: join(dir, 'x.db'), writerThread: true, rollups: { onError: () => {} } }),
    ).toThrow(/cannot cross/);
  });
});
