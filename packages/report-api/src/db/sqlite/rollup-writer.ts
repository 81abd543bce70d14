import type Database from 'better-sqlite3';
import { COUNTER_COLUMNS, type PackedAggregate } from '../aggregate.js';

/** Rows per multi-row upsert of `rollup_day`: one statement run instead of 50. */
const DAY_ROWS_PER_UPSERT = 50;
const COUNTERS = COUNTER_COLUMNS.length;
/** Values per `rollup_day` row in an upsert: site_id, day, dim, key, extra, counters. */
const DAY_WIDTH = 5 + COUNTERS;
/** Rows per multi-row upsert of `ip_errors_5s` (site_id, start, ip, errors each). */
const IP_ROWS_PER_UPSERT = 100;
const ipErrorsSql = (rows: number) =>
  `INSERT INTO ip_errors_5s (site_id, start, ip, errors) VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}
   ON CONFLICT(site_id, start, ip) DO UPDATE SET errors = errors + excluded.errors`;

function upsertSql(table: string, keys: string[], extraSet = '', rows = 1): string {
  const cols = [...keys, ...COUNTER_COLUMNS];
  const sets = COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  const one = `(${cols.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}
    ON CONFLICT(${keys.filter((k) => k !== 'extra').join(', ')}) DO UPDATE SET ${sets}${extraSet}`;
}

/**
 * Adds a packed aggregate (`packAggregate`) to the rollup tables (`traffic_15m`, `rollup_day`,
 * `errors_5s`, `ip_errors_5s`): one upsert per distinct row, day rows 50 and per-IP error rows 100 to
 * a statement. Call it inside a transaction.
 *
 * @example
 * const write = rollupWriter(db);
 * db.transaction(() => write(packAggregate('s_1', aggregateEvents(batch.events, localDay))))();
 */
export function rollupWriter(db: Database.Database): (packed: PackedAggregate) => void {
  const upsertQuarter = db.prepare(upsertSql('traffic_15m', ['site_id', 'start']));
  const dayKeys = ['site_id', 'day', 'dim', 'key', 'extra'];
  const extraSet = ', extra = coalesce(excluded.extra, extra)';
  const upsertDay = db.prepare(upsertSql('rollup_day', dayKeys, extraSet));
  const upsertDays = db.prepare(upsertSql('rollup_day', dayKeys, extraSet, DAY_ROWS_PER_UPSERT));
  const upsertErrors = db.prepare(
    'INSERT INTO errors_5s (site_id, start, errors) VALUES (?, ?, ?) ON CONFLICT(site_id, start) DO UPDATE SET ' +
      'errors = errors + excluded.errors',
  );
  const upsertIpErrors = db.prepare(ipErrorsSql(1));
  const upsertManyIpErrors = db.prepare(ipErrorsSql(IP_ROWS_PER_UPSERT));
  const manyIpErrors: unknown[] = new Array(4 * IP_ROWS_PER_UPSERT);
  const many: unknown[] = new Array(DAY_WIDTH * DAY_ROWS_PER_UPSERT);
  const one: unknown[] = new Array(DAY_WIDTH);

  return function writeRollups({ siteId, quarters, days, errors, ipErrors }) {
    for (let i = 0; i < quarters.length; i += 1 + COUNTERS)
      upsertQuarter.run(siteId, ...quarters.slice(i, i + 1 + COUNTERS));
    for (let i = 0; i < days.length;) {
      const day = days[i];
      const dim = days[i + 1];
      let left = days[i + 2] as number;
      i += 3;
      const fill = (params: unknown[], at: number) => {
        params[at] = siteId;
        params[at + 1] = day;
        params[at + 2] = dim;
        for (let c = 0; c < 2 + COUNTERS; c++) params[at + 3 + c] = days[i + c];
        i += 2 + COUNTERS;
      };
      for (; left >= DAY_ROWS_PER_UPSERT; left -= DAY_ROWS_PER_UPSERT) {
        for (let j = 0; j < DAY_ROWS_PER_UPSERT; j++) fill(many, j * DAY_WIDTH);
        upsertDays.run(many);
      }
      for (; left > 0; left--) {
        fill(one, 0);
        upsertDay.run(one);
      }
    }
    for (let i = 0; i < errors.length; i += 2) upsertErrors.run(siteId, errors[i], errors[i + 1]);
    // 5-s buckets make up to six times the per-IP rows of 30-s windows: 100 to a statement.
    let i = 0;
    for (; i + 3 * IP_ROWS_PER_UPSERT <= ipErrors.length; i += 3 * IP_ROWS_PER_UPSERT) {
      for (let r = 0; r < IP_ROWS_PER_UPSERT; r++) {
        manyIpErrors[4 * r] = siteId;
        for (let c = 0; c < 3; c++) manyIpErrors[4 * r + 1 + c] = ipErrors[i + 3 * r + c];
      }
      upsertManyIpErrors.run(manyIpErrors);
    }
    for (; i < ipErrors.length; i += 3) upsertIpErrors.run(siteId, ipErrors[i], ipErrors[i + 1], ipErrors[i + 2]);
  };
}

/**
 * The flush of held rollups: writes `aggregates` and deletes the backlog rows they settle, in one
 * transaction, so a crash leaves either both or neither.
 *
 * @example
 * const writeAndClear = rollupFlush(db);
 * writeAndClear(taken.aggregates, taken.backlogIds);
 */
export function rollupFlush(db: Database.Database): (aggregates: PackedAggregate[], backlogIds: number[]) => void {
  const write = rollupWriter(db);
  const deleteRange = db.prepare('DELETE FROM rollup_backlog WHERE id = ?');
  return db.transaction((aggregates: PackedAggregate[], backlogIds: number[]) => {
    for (const packed of aggregates) write(packed);
    for (const id of backlogIds) deleteRange.run(id);
  });
}
