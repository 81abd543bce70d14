import type Database from 'better-sqlite3';
import { COUNTER_COLUMNS, dayRows, type BatchAggregate, type DayRow } from './aggregate.js';

function upsertSql(table: string, keys: string[], extraSet = ''): string {
  const cols = [...keys, ...COUNTER_COLUMNS];
  const sets = COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON CONFLICT(${keys.filter((k) => k !== 'extra').join(', ')}) DO UPDATE SET ${sets}${extraSet}`;
}

const byKey = (a: DayRow, b: DayRow) =>
  a.day < b.day ? -1 : a.day > b.day ? 1 : a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * Adds a folded aggregate to the rollup tables (`traffic_15m`, `rollup_day`, `errors_30s`,
 * `ip_errors_30s`): one upsert per distinct row. Call it inside a transaction.
 *
 * @example
 * const write = rollupWriter(db);
 * db.transaction(() => write('s_1', aggregateEvents(batch.events, localDay)))();
 */
export function rollupWriter(db: Database.Database): (siteId: string, agg: BatchAggregate) => void {
  const upsertQuarter = db.prepare(upsertSql('traffic_15m', ['site_id', 'start']));
  const upsertDay = db.prepare(
    upsertSql('rollup_day', ['site_id', 'day', 'dim', 'key', 'extra'], ', extra = coalesce(excluded.extra, extra)'),
  );
  const upsertWindow = db.prepare(
    'INSERT INTO errors_30s (site_id, start, errors) VALUES (?, ?, ?) ON CONFLICT(site_id, start) DO UPDATE SET errors = errors + excluded.errors',
  );
  const upsertIpWindow = db.prepare(
    'INSERT INTO ip_errors_30s (site_id, start, ip, errors) VALUES (?, ?, ?, ?) ON CONFLICT(site_id, start, ip) DO UPDATE SET errors = errors + excluded.errors',
  );
  return function writeRollups(siteId, agg) {
    for (const [start, values] of agg.quarters) upsertQuarter.run(siteId, start, ...values);
    // In key order: consecutive upserts walk the primary-key B-tree forward instead of jumping around.
    const rows = [...dayRows(agg)].sort(byKey);
    const params: unknown[] = [siteId, '', '', '', null, ...COUNTER_COLUMNS.map(() => 0)];
    for (const row of rows) {
      params[1] = row.day;
      params[2] = row.dim;
      params[3] = row.key;
      params[4] = row.extra;
      for (let c = 0; c < COUNTER_COLUMNS.length; c++) params[5 + c] = row.values[c];
      upsertDay.run(params);
    }
    for (const [start, errors] of agg.windows) upsertWindow.run(siteId, start, errors);
    for (const w of agg.ipWindows.values()) upsertIpWindow.run(siteId, w.start, w.ip, w.errors);
  };
}
