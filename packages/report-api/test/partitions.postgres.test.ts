import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { AHEAD_DAYS, PAST_DAYS, partitionName } from '../src/db/postgres/partitions.js';
import { batch, event } from './helpers.js';
import { describePostgres, dropSchema, tempPostgresStore, TEST_POSTGRES_URL } from './postgres.js';
import { migrationsUpTo } from './support/migrations.js';

// Raw events on PostgreSQL, partitioned by UTC day (migration 0018): partitions come with their
// days, within a bounded window; retention drops whole days; an old database is upgraded in place.
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 12);
const TODAY = Math.floor(NOW / DAY);
const at = (days: number, hours = 0) => (TODAY + days) * DAY + hours * 3_600_000;

let cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function fresh() {
  const t = await tempPostgresStore({ now: () => NOW });
  cleanups.push(() => t.cleanup());
  const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
  const partitions = async () =>
    (
      await t.store.pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
  const where = async () =>
    (
      await t.store.pool.query<{ part: string; n: number }>(
        'SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM events GROUP BY 1 ORDER BY 1',
      )
    ).rows;
  return { ...t, site, partitions, where };
}

describePostgres('postgres: raw events partitioned by day', () => {
  it('gives each day near today its partition as its events come; other days go to the default one', async () => {
    const t = await fresh();
    const days = [-1, 0, 0, 1, -100, 10];
    const events = days.map((d, i) => event({ ts: at(d, 1 + i), ip: `192.0.2.${i}` }));
    events.push(event({ ts: Date.UTC(2001, 0, 1), ip: '192.0.2.99' }));
    expect(await t.store.ingestBatch(t.site.id, batch(events))).toEqual({ accepted: 7, duplicate: false });
    expect(await t.partitions()).toEqual(
      [
        'events_before',
        'events_later',
        partitionName(TODAY - 1),
        partitionName(TODAY),
        partitionName(TODAY + 1),
      ].sort(),
    );
    expect(await t.where()).toEqual(
      [
        { part: 'events_later', n: 3 },
        { part: partitionName(TODAY - 1), n: 1 },
        { part: partitionName(TODAY), n: 2 },
        { part: partitionName(TODAY + 1), n: 1 },
      ].sort((a, b) => (a.part < b.part ? -1 : 1)),
    );
    // Every read sees the table whole, in the same order.
    const listed = await t.store.listEvents(t.site.id, { from: 0, to: at(20), limit: 100 });
    expect(listed.map((e) => e.ts)).toEqual(events.map((e) => e.ts).sort((a, b) => b - a));
  });

  it('creates at most the window of partitions for a batch spread over a thousand days, once each', async () => {
    const t = await fresh();
    const spread = Array.from({ length: 1000 }, (_, i) => event({ ts: at(i - 900, 3) }));
    expect((await t.store.ingestBatch(t.site.id, batch(spread))).accepted).toBe(1000);
    const days = (await t.partitions()).filter((name) => name.startsWith('events_d'));
    expect(days).toHaveLength(PAST_DAYS + 1 + AHEAD_DAYS);
    expect(days[0]).toBe(partitionName(TODAY - PAST_DAYS));
    expect(days.at(-1)).toBe(partitionName(TODAY + AHEAD_DAYS));
    const later = (await t.where()).find((row) => row.part === 'events_later');
    expect(later?.n).toBe(1000 - (PAST_DAYS + 1 + AHEAD_DAYS));
    // The same days again create nothing.
    await t.store.ingestBatch(t.site.id, batch(spread.map((e) => ({ ...e, ip: '198.51.100.1' }))));
    expect((await t.partitions()).filter((name) => name.startsWith('events_d'))).toHaveLength(days.length);
  });

  it('two instances making the same new days at once both store their batches, into one partition a day', async () => {
    const t = await fresh();
    const other = await t.open();
    const days = [3 - AHEAD_DAYS, -5, -6, -7];
    const sent = (ip: string) => batch(days.map((d, i) => event({ ts: at(d, i), ip })));
    const answers = await Promise.all([
      t.store.ingestBatch(t.site.id, sent('192.0.2.1')),
      other.ingestBatch(t.site.id, sent('192.0.2.2')),
      t.store.ingestBatch(t.site.id, sent('192.0.2.3')),
      other.ingestBatch(t.site.id, sent('192.0.2.4')),
    ]);
    expect(answers).toEqual(Array.from({ length: 4 }, () => ({ accepted: 4, duplicate: false })));
    expect((await t.partitions()).filter((name) => name.startsWith('events_d'))).toEqual(
      days.map((d) => partitionName(TODAY + d)).sort(),
    );
    expect((await t.where()).find((row) => row.part === 'events_later')).toBeUndefined();
  });

  it('never fails a batch when its day cannot have a partition (the table locked past 2 s)', async () => {
    const t = await fresh();
    await t.store.ingestBatch(t.site.id, batch([event({ ts: at(-4, 1) })])); // the store has read its partitions
    const locker = await t.store.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      const stored = t.store.ingestBatch(t.site.id, batch([event({ ts: at(-3, 1) })]));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await locker.query('COMMIT');
      expect(await stored).toEqual({ accepted: 1, duplicate: false });
    } finally {
      locker.release();
    }
    // Its event went to the default partition; the day is not tried again, and its next events follow.
    await t.store.ingestBatch(t.site.id, batch([event({ ts: at(-3, 2) })]));
    expect(await t.where()).toEqual(
      [
        { part: partitionName(TODAY - 4), n: 1 },
        { part: 'events_later', n: 2 },
      ].sort((a, b) => (a.part < b.part ? -1 : 1)),
    );
    expect((await t.partitions()).filter((name) => name.startsWith('events_d'))).toEqual([partitionName(TODAY - 4)]);
  });

  it('drops the partitions of whole days past the retention and deletes the rest row by row', async () => {
    const t = await fresh();
    const events = Array.from({ length: 41 }, (_, i) => [event({ ts: at(-i, 6) }), event({ ts: at(-i, 18) })]).flat();
    await t.store.ingestBatch(t.site.id, batch(events));
    const before = at(-30, 12); // the day 30 days ago keeps its evening
    expect(await t.store.purgeBefore(before)).toEqual({ events: events.filter((e) => e.ts < before).length });
    const days = (await t.partitions()).filter((name) => name.startsWith('events_d'));
    expect(days[0]).toBe(partitionName(TODAY - 30));
    // Today's and the next days' partitions are made ahead with the purge.
    expect(days.at(-1)).toBe(partitionName(TODAY + AHEAD_DAYS));
    const left = await t.store.listEvents(t.site.id, { from: 0, to: at(1), limit: 1000 });
    expect(left).toHaveLength(events.filter((e) => e.ts >= before).length);
    // An event of a purged day does not bring its partition back.
    await t.store.ingestBatch(t.site.id, batch([event({ ts: at(-35, 1) })]));
    expect((await t.partitions()).filter((name) => name.startsWith('events_d'))[0]).toBe(partitionName(TODAY - 30));
  });
});

describePostgres('postgres: upgrade to day partitions', () => {
  it('keeps every event of the old table, in place, and its ids go on', async () => {
    const schema = `wp_test_${Math.random().toString(16).slice(2, 14)}`;
    cleanups.push(() => dropSchema(schema));
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    await client.connect();
    const yesterday = Math.floor(Date.now() / DAY) * DAY - DAY / 2;
    const farFuture = Date.UTC(2200, 0, 1);
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      const folder = fileURLToPath(new URL('../drizzle-pg', import.meta.url));
      const migrationsFolder = migrationsUpTo(folder, '0017_kind_covering_indexes', cleanups);
      await migrate(drizzle({ client }), { migrationsFolder, migrationsSchema: schema });
      await client.query(
        "INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES ('site_old', 'old', 'UTC', null, 0)",
      );
      for (const [ts, ip] of [
        [yesterday - DAY, '192.0.2.1'],
        [yesterday, '192.0.2.2'],
        [farFuture, '192.0.2.3'],
      ] as const) {
        await client.query(
          `INSERT INTO events (site_id, ts, ip, method, host, path, status, latency_ms, ua, action, sample_rate)
           VALUES ('site_old', $1, $2, 'GET', 'h', '/', 200, 1, 'ua', 'allow', 1)`,
          [ts, ip],
        );
      }
    } finally {
      await client.end();
    }
    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, maxConnections: 2 });
    cleanups.push(() => store.close());
    const [site] = await store.listSites();
    const old = await store.listEvents(site!.id, { from: 0, to: farFuture + 1, limit: 10 });
    expect(old.map((e) => [e.ip, e.id])).toEqual([
      ['192.0.2.3', 3],
      ['192.0.2.2', 2],
      ['192.0.2.1', 1],
    ]);
    const { rows: parts } = await store.pool.query<{ part: string; n: number }>(
      'SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM events GROUP BY 1 ORDER BY 1',
    );
    expect(parts).toEqual([
      { part: 'events_before', n: 2 },
      { part: 'events_later', n: 1 },
    ]);
    // The old table's indexes serve it as a partition: none built twice, none missing. Its 8, and the
    // probes' partial index (0020), built on every partition.
    const { rows: indexes } = await store.pool.query<{ name: string; definition: string }>(
      'SELECT indexname AS name, indexdef AS definition FROM pg_indexes ' +
        "WHERE tablename = 'events_before' AND schemaname = $1 ORDER BY 1",
      [schema],
    );
    expect(indexes).toHaveLength(9);
    expect(indexes.filter(({ definition }) => definition.includes("'probe%'"))).toHaveLength(1);
    await store.ingestBatch(site!.id, batch([event({ ts: Date.now(), ip: '192.0.2.4' })]));
    const [latest] = await store.listEvents(site!.id, { from: Date.now() - DAY, to: Date.now() + DAY, limit: 1 });
    expect(latest).toMatchObject({ ip: '192.0.2.4', id: 4 });
  });
});
