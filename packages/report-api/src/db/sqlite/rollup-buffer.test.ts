import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batch, event, tempStore } from '../../../test/helpers.js';
import { openSqliteStore } from './open.js';

const T = Date.UTC(2026, 2, 1, 12);
const stores: Array<{ close(): Promise<void> }> = [];
let t: ReturnType<typeof tempStore>;
afterEach(async () => {
  vi.useRealTimers();
  for (const s of stores.splice(0)) await s.close();
  await t.cleanup();
});

const rollupRows = (store: { db: { prepare(sql: string): { get(): unknown } } }) =>
  (store.db.prepare("SELECT count(*) AS n FROM rollup_day WHERE dim = 'ip'").get() as { n: number }).n;
const backlogRows = (store: { db: { prepare(sql: string): { get(): unknown } } }) =>
  (store.db.prepare('SELECT count(*) AS n FROM rollup_backlog').get() as { n: number }).n;

/** A day of traffic from `ips` clients, some errors, in three batches. */
const traffic = (ips: number) =>
  [0, 1, 2].map((b) =>
    batch(
      Array.from({ length: ips }, (_, i) =>
        event({ ts: T + b * 60_000 + i, ip: `192.0.2.${i}`, status: i % 5 === 0 ? 404 : 200, path: `/p/${i % 7}` }),
      ),
    ),
  );

const snapshot = (store: { db: { prepare(sql: string): { all(): unknown[] } } }) => ({
  day: store.db
    .prepare('SELECT day, dim, key, extra, requests, s2xx, s4xx FROM rollup_day ORDER BY day, dim, key')
    .all(),
  quarters: store.db.prepare('SELECT start, requests, s4xx FROM traffic_15m ORDER BY start').all(),
  errors: store.db.prepare('SELECT start, errors FROM errors_5s ORDER BY start').all(),
  ipErrors: store.db.prepare('SELECT start, ip, errors FROM ip_errors_5s ORDER BY start, ip').all(),
});

describe('rollups held in memory', () => {
  it('are written once flushEvents are waiting, with the backlog cleared in the same transaction', async () => {
    t = tempStore();
    const store = openSqliteStore({ path: t.path, rollups: { flushEvents: 3, flushMs: 60_000 } });
    stores.push(store);
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await store.ingestBatch(site.id, batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.2' })]));
    expect(rollupRows(store)).toBe(0);
    expect(backlogRows(store)).toBe(1);
    await store.ingestBatch(site.id, batch([event({ ip: '192.0.2.3' })]));
    expect(rollupRows(store)).toBe(3);
    expect(backlogRows(store)).toBe(0);
  });

  it('are written after flushMs without any read', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    t = tempStore();
    const store = openSqliteStore({ path: t.path, rollups: { flushMs: 20 } });
    stores.push(store);
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await store.ingestBatch(site.id, batch([event()]));
    expect(rollupRows(store)).toBe(0);
    vi.advanceTimersByTime(19);
    expect(rollupRows(store)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rollupRows(store)).toBe(1);
    expect(backlogRows(store)).toBe(0);
  });

  it('a read in the same process sees every accepted batch', async () => {
    t = tempStore();
    const store = openSqliteStore({ path: t.path, rollups: { flushMs: 60_000 } });
    stores.push(store);
    const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    for (const b of traffic(20)) await store.ingestBatch(site.id, b);
    const [top] = await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 1 });
    expect(top).toMatchObject({ requests: 3 });
    expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(20);
  });

  it(
    'a read still answers when the rollups cannot be written (another process holds the lock), and they are ' +
      'written later',
    async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      t = tempStore();
      const errors: unknown[] = [];
      const store = openSqliteStore({
        path: t.path,
        rollups: { flushMs: 300, onError: (error) => errors.push(error) },
      });
      stores.push(store);
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(site.id, batch([event()]));
      store.db.pragma('busy_timeout = 0');
      const other = new Database(t.path);
      other.exec('BEGIN IMMEDIATE');
      expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(0);
      expect(errors.map(String)).toEqual([expect.stringMatching(/locked|busy/i)]);
      other.exec('COMMIT');
      other.close();
      vi.advanceTimersByTime(300);
      expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(1);
      expect(backlogRows(store)).toBe(0);
      expect(errors).toHaveLength(1);
    },
  );

  it(
    'a store whose last flush fails at close still closes, and the next open in the same process rebuilds those ' +
      'rollups',
    async () => {
      t = tempStore();
      const store = openSqliteStore({ path: t.path, rollups: { flushMs: 60_000, onError: () => {} } });
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      for (const b of traffic(10)) await store.ingestBatch(site.id, b);
      store.db.pragma('busy_timeout = 0');
      const other = new Database(t.path);
      other.exec('BEGIN IMMEDIATE');
      await expect(store.close()).rejects.toThrow(/locked|busy/i);
      expect(store.db.open).toBe(false);
      other.exec('COMMIT');
      other.close();
      const reopened = openSqliteStore({ path: t.path });
      stores.push(reopened);
      expect(backlogRows(reopened)).toBe(0);
      expect(await reopened.countDimension(site.id, '2026-03-01', 'ip')).toBe(10);
      expect((await reopened.trafficBuckets(site.id, T, T + 3_600_000)).reduce((s, b) => s + b.requests, 0)).toBe(30);
    },
  );

  it(
    'a writer that dies before its flush loses nothing: the next open rebuilds its rollups from raw ' + 'events',
    async () => {
      t = tempStore();
      const { site } = await t.store.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      for (const b of traffic(50)) await t.store.ingestBatch(site.id, b);
      await t.store.countDimension(site.id, '2026-03-01', 'ip'); // a read writes what is held
      const expected = snapshot(t.store);
      await t.store.close();

      const reference = t.path.replace(/\.db$/, '-crash.db');
      const crashed = openSqliteStore({ path: reference, rollups: { flushMs: 60_000 } });
      const other = await crashed.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      for (const b of traffic(50)) await crashed.ingestBatch(other.site.id, b);
      expect(backlogRows(crashed)).toBe(3);
      // A crash: the connection goes away without the flush close() would do.
      crashed.db.close();

      const reopened = openSqliteStore({ path: reference, rollups: { isOwnerAlive: () => false } });
      stores.push(reopened);
      expect(backlogRows(reopened)).toBe(0);
      expect(snapshot(reopened)).toEqual(expected);
      expect(snapshot(reopened).day.length).toBeGreaterThan(50);
    },
  );

  it('leaves the rollups of a writer that is still running alone, and nothing is counted twice', async () => {
    t = tempStore();
    const writer = openSqliteStore({ path: t.path, rollups: { flushMs: 60_000 } });
    const { site } = await writer.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    for (const b of traffic(10)) await writer.ingestBatch(site.id, b);
    // A second process-like store on the same file (e.g. `watchpost report` beside `serve`).
    const reader = openSqliteStore({ path: t.path });
    stores.push(reader);
    expect(backlogRows(reader)).toBe(3);
    expect(await reader.countDimension(site.id, '2026-03-01', 'ip')).toBe(0);
    await writer.close();
    expect(backlogRows(reader)).toBe(0);
    const [top] = await reader.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 1 });
    expect(top).toMatchObject({ requests: 3 });
    expect((await reader.trafficBuckets(site.id, T, T + 3_600_000)).reduce((s, b) => s + b.requests, 0)).toBe(30);
  });
});
