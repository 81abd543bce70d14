// Benchmark: retention on PostgreSQL, the day partitions (migration 0018) against deleting rows.
// One schema, one run: BENCH_PURGE_EVENTS events (default 200,000) on a day old enough for the
// default partition (deleted 20,000 rows at a time, as every day was before 0018), and as many on
// a day that has its own partition (dropped). Prints both purge times and their ratio.
// Run: BENCH_STORE=postgres is implied; BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
// npx tsx --conditions=@watchpost/source bench/partition-purge.ts
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { generateDay } from './generate.js';
import { fmt } from './util.js';

const DAY = 86_400_000;
const url = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const events = Number(process.env.BENCH_PURGE_EVENTS ?? 200_000);
const now = Math.floor(Date.now() / DAY) * DAY + DAY / 2;
const schema = `wp_bench_${randomBytes(4).toString('hex')}`;

const store = await openPostgresStore({ url, schema, now: () => now });
try {
  const { site } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: null });
  const rowsDeleted = now - 100 * DAY; // before the partition window: the default partition
  const partitioned = now - 40 * DAY; // inside it: a partition of its own
  for (const [seed, dayStart] of [rowsDeleted, partitioned].entries()) {
    const start = Math.floor(dayStart / DAY) * DAY;
    for (const batch of generateDay({ events, dayStart: start, seed: seed + 1 }))
      await store.ingestBatch(site.id, batch);
  }
  const { rows } = await store.pool.query<{ part: string; n: number }>(
    'SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM events GROUP BY 1 ORDER BY 1',
  );
  console.log(`rows per partition: ${rows.map((r) => `${r.part} ${fmt(r.n)}`).join(', ')}`);
  let t = performance.now();
  const deleted = await store.purgeBefore(Math.floor(rowsDeleted / DAY) * DAY + DAY);
  const deleteMs = performance.now() - t;
  t = performance.now();
  const dropped = await store.purgeBefore(Math.floor(partitioned / DAY) * DAY + DAY);
  const dropMs = performance.now() - t;
  console.log(`purge of ${fmt(deleted.events)} events deleted in chunks: ${fmt(deleteMs)} ms`);
  console.log(`purge of ${fmt(dropped.events)} events with their day partition: ${fmt(dropMs)} ms`);
  console.log(`ratio: the partition drop took ${fmt(dropMs / deleteMs, 3)}× the time of deleting the rows`);
} finally {
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
}
