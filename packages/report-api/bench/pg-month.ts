// Benchmark: the daily report on PostgreSQL over a generated month (issue 18, target 5). BENCH_DAYS
// days (default 30) of BENCH_DAY_EVENTS events each (default 1,000,000; login attempts and rate
// refusals as in report.ts), ending yesterday in UTC, each day in its own partition (migration 0018).
// Prints each day's ingest rate (steady or not), then the report of the last day and of the middle
// day, cold and warm, after `VACUUM ANALYZE` of the partitions: what autovacuum does after a bulk
// load; before it, a fresh table's statistics can send the login section to a scan of the whole day
// (3.2 s at 10M events a day, measured). The schema is dropped at the end unless BENCH_KEEP=1.
// Run: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
// pnpm --filter @watchpost/report-api bench:pg-month (30 days × 1M events: about 20 minutes here)
import { randomBytes } from 'node:crypto';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { buildDailyReport } from '../src/reports/build.js';
import { generateDay } from './generate.js';
import { withLoginsAndRates } from './report.js';
import { fmt, median } from './util.js';

const DAY = 86_400_000;
const url = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const days = Number(process.env.BENCH_DAYS ?? 30);
const events = Number(process.env.BENCH_DAY_EVENTS ?? 1_000_000);
if (!(Number.isInteger(days) && days >= 1 && days <= 60)) throw new TypeError('BENCH_DAYS must be 1..60');
if (!(Number.isInteger(events) && events >= 1)) throw new TypeError('BENCH_DAY_EVENTS must be a positive integer');
const today = Math.floor(Date.now() / DAY) * DAY;
const schema = `wp_bench_${randomBytes(4).toString('hex')}`;
const store = await openPostgresStore({ url, schema, now: () => today + DAY / 2 });
try {
  const { site } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
  const counter = { n: 0 };
  const rates: number[] = [];
  for (let back = days; back >= 1; back--) {
    const started = performance.now();
    for (const batch of generateDay({ events, dayStart: today - back * DAY, batchSize: 5_000, seed: back }))
      await store.ingestBatch(site.id, withLoginsAndRates(batch, counter));
    const rate = events / ((performance.now() - started) / 1000);
    rates.push(rate);
    console.log(`day -${back}: ${fmt(events)} events at ${fmt(rate)} events/s`);
  }
  const { rows } = await store.pool.query<{ parts: number; n: string }>(
    `SELECT count(DISTINCT tableoid)::int AS parts, count(*) AS n FROM events`,
  );
  console.log(
    `schema ${schema}: ${fmt(Number(rows[0]!.n))} events in ${rows[0]!.parts} partitions; ingest first 3 days ` +
      `${fmt(median(rates.slice(0, 3)))} events/s, last 3 ${fmt(median(rates.slice(-3)))} (medians)`,
  );
  let t = performance.now();
  await store.pool.query('VACUUM ANALYZE events');
  console.log(`VACUUM ANALYZE: ${fmt((performance.now() - t) / 1000, 1)} s`);
  for (const back of [1, Math.ceil(days / 2)]) {
    const date = new Date(today - back * DAY).toISOString().slice(0, 10);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      t = performance.now();
      await buildDailyReport(store, site, date);
      times.push(performance.now() - t);
    }
    console.log(`report of ${date}: ${fmt(times[0]!)} ms first, ${fmt(median(times.slice(1)))} ms warm (median of 3)`);
  }
} finally {
  if (process.env.BENCH_KEEP !== '1') await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await store.close();
}
