import type pg from 'pg';
import { COUNTER_COLUMNS, dayRows, ipErrorRows, type BatchAggregate, type DayRow } from '../aggregate.js';
import { changes, statement } from './pool.js';

const COUNTERS = COUNTER_COLUMNS.join(', ');
/** `$first::float8[], ...`: one array parameter per counter column. */
const counterArrays = (first: number) => COUNTER_COLUMNS.map((_, i) => `$${first + i}::float8[]`).join(', ');
const addCounters = (table: string) => COUNTER_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

// One multi-row upsert per table: the rows arrive as one array per column (`unnest`), so a batch
// costs four statements however many rows it touches, and each statement is prepared once.
const upsertQuarters = statement(
  `INSERT INTO traffic_15m (site_id, start, ${COUNTERS})
   SELECT $1::text, * FROM unnest($2::bigint[], ${counterArrays(3)})
   ON CONFLICT (site_id, start) DO UPDATE SET ${addCounters('traffic_15m')}`,
);
const upsertDays = statement(
  `INSERT INTO rollup_day (site_id, day, dim, key, extra, ${COUNTERS})
   SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], ${counterArrays(6)})
   ON CONFLICT (site_id, day, dim, key) DO UPDATE SET ${addCounters('rollup_day')}, extra = ` +
    `coalesce(excluded.extra, rollup_day.extra)`,
);
const upsertErrors = statement(
  `INSERT INTO errors_5s (site_id, start, errors) SELECT $1::text, * FROM unnest($2::bigint[], $3::float8[])
   ON CONFLICT (site_id, start) DO UPDATE SET errors = errors_5s.errors + excluded.errors`,
);
const upsertIpErrors = statement(
  `INSERT INTO ip_errors_5s (site_id, start, ip, errors) SELECT $1::text, * FROM unnest($2::bigint[], ` +
    `$3::text[], $4::float8[])
   ON CONFLICT (site_id, start, ip) DO UPDATE SET errors = ip_errors_5s.errors + excluded.errors`,
);

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byDayKey = (a: DayRow, b: DayRow) =>
  compareText(a.day, b.day) || compareText(a.dim, b.dim) || compareText(a.key, b.key);

/** Counter values of `rows` as one array per counter column. */
function counterColumns<T>(rows: readonly T[], values: (row: T) => readonly number[]): number[][] {
  const columns = COUNTER_COLUMNS.map(() => new Array<number>(rows.length));
  rows.forEach((row, r) => {
    const v = values(row);
    for (let c = 0; c < columns.length; c++) columns[c]![r] = v[c]!;
  });
  return columns;
}

/**
 * Adds a folded aggregate (`aggregateEvents`, shared with SQLite) to the rollup tables inside the
 * caller's transaction: one multi-row upsert per table.
 *
 * Every transaction takes its row locks in one global order (tables in a fixed order, rows sorted by
 * key within each), so report-api instances ingesting batches of the same site at once wait for
 * each other on the rows they share but never deadlock.
 *
 * @example
 * await transaction(pool, (client) => writeRollups(client, siteId, aggregateEvents(batch.events, localDay)));
 */
export async function writeRollups(client: pg.PoolClient, siteId: string, agg: BatchAggregate): Promise<void> {
  const quarters = [...agg.quarters].sort((a, b) => a[0] - b[0]);
  if (quarters.length > 0) {
    await changes(client, upsertQuarters, [
      siteId,
      quarters.map(([start]) => start),
      ...counterColumns(quarters, ([, values]) => values),
    ]);
  }
  const days = [...dayRows(agg)].sort(byDayKey);
  if (days.length > 0) {
    await changes(client, upsertDays, [
      siteId,
      days.map((r) => r.day),
      days.map((r) => r.dim),
      days.map((r) => r.key),
      days.map((r) => r.extra),
      ...counterColumns(days, (r) => r.values),
    ]);
  }
  const errors = [...agg.errors].sort((a, b) => a[0] - b[0]);
  if (errors.length > 0)
    await changes(client, upsertErrors, [
      siteId,
      errors.map(([start]) => start),
      errors.map(([, weighted]) => weighted),
    ]);
  const ipErrors = ipErrorRows(agg).flatMap(([start, ips]) => ips.map(([ip, weighted]) => ({ start, ip, weighted })));
  if (ipErrors.length > 0) {
    await changes(client, upsertIpErrors, [
      siteId,
      ipErrors.map((b) => b.start),
      ipErrors.map((b) => b.ip),
      ipErrors.map((b) => b.weighted),
    ]);
  }
}
