import type Database from 'better-sqlite3';
import type { DimensionRow, ErrorBucket, IpErrorPeak, RollupStore, TrafficBucket } from '../store.js';
import { COUNTER_COLUMNS } from '../aggregate.js';
import { candidateQuery, errorCandidatesSql, ipErrorPeaksSql } from '../error-peaks.js';

const COUNTERS = COUNTER_COLUMNS.join(', ');

/**
 * Rollup reads on SQLite. Every query is bounded by its primary key prefix (site, day or time range).
 *
 * @example
 * const rollups = sqliteRollupStore(db);
 * await rollups.topDimension(siteId, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 });
 */
export function sqliteRollupStore(db: Database.Database): RollupStore {
  const buckets = db.prepare<[string, number, number], TrafficBucket>(
    `SELECT start, ${COUNTERS} FROM traffic_15m WHERE site_id = ? AND start >= ? AND start < ? ORDER BY start`,
  );
  // One statement per sort column; the column name comes from COUNTER_COLUMNS, never from input.
  const top = new Map(
    COUNTER_COLUMNS.map((column) => [
      column,
      db.prepare<[string, string, string, number, number], DimensionRow>(
        `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = ? AND day = ? AND dim = ? AND ${column} >= ?
         ORDER BY ${column} DESC, key LIMIT ?`,
      ),
    ]),
  );
  const isCounter = (column: string): column is (typeof COUNTER_COLUMNS)[number] =>
    (COUNTER_COLUMNS as readonly string[]).includes(column);
  const anyStatements = new Map<string, Database.Statement<unknown[], DimensionRow>>();
  const anyStatement = (orderBy: string, columns: string[]) => {
    if (!isCounter(orderBy) || columns.length === 0) throw new TypeError('anyAtLeast needs counter columns');
    return db.prepare<unknown[], DimensionRow>(
      `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = ? AND day = ? AND dim = ?
       AND (${columns.map((c) => `${c} >= ?`).join(' OR ')}) ORDER BY ${orderBy} DESC, key LIMIT ?`,
    );
  };
  const one = db.prepare<[string, string, string, string], DimensionRow>(
    `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = ? AND day = ? AND dim = ? AND key = ?`,
  );
  const count = db.prepare<[string, string, string], { n: number }>(
    'SELECT count(*) AS n FROM rollup_day WHERE site_id = ? AND day = ? AND dim = ?',
  );
  const errorBuckets = db.prepare<[string, number, number], ErrorBucket>(
    'SELECT start, errors FROM errors_5s WHERE site_id = ? AND start >= ? AND start < ? ORDER BY start',
  );
  const ipPeaks = db.prepare<[string, number, number, number], IpErrorPeak>(ipErrorPeaksSql(['?', '?', '?', '?'], ''));
  const candidates = db.prepare<[string, number, number, number, number], { ip: string }>(
    errorCandidatesSql(['?', '?', '?', '?', '?'], ''),
  );
  // Placeholders in text order: site, from, to, the candidates (JSON), limit.
  const ipPeaksOf = db.prepare<[string, number, number, string, number], IpErrorPeak>(
    ipErrorPeaksSql(
      ['?', '?', '?', '?'],
      '',
      'ip IN (SELECT value FROM json_each(?))',
      // Each candidate's buckets by IP (migration 0025), not every IP's buckets of the range by time.
      'ip_errors_5s INDEXED BY ip_errors_5s_site_ip_start',
    ),
  );
  return {
    async trafficBuckets(siteId, from, to) {
      return buckets.all(siteId, from, to);
    },
    async topDimension(siteId, day, dimension, query) {
      const limit = Math.max(0, Math.floor(query.limit));
      if (query.anyAtLeast) {
        const entries = Object.entries(query.anyAtLeast).filter(([column]) => isCounter(column));
        const key = `${query.orderBy}|${entries.map(([column]) => column).join(',')}`;
        let statement = anyStatements.get(key);
        if (!statement)
          anyStatements.set(
            key,
            (statement = anyStatement(
              query.orderBy,
              entries.map(([column]) => column),
            )),
          );
        return statement.all(siteId, day, dimension, ...entries.map(([, min]) => min), limit);
      }
      const statement = top.get(query.orderBy as (typeof COUNTER_COLUMNS)[number]);
      if (!statement) throw new TypeError(`cannot order by ${String(query.orderBy)}`);
      return statement.all(siteId, day, dimension, query.min ?? Number.NEGATIVE_INFINITY, limit);
    },
    async getDimensionRows(siteId, day, dimension, keys) {
      const rows: DimensionRow[] = [];
      for (const key of keys) {
        const row = one.get(siteId, day, dimension, key);
        if (row) rows.push(row);
      }
      return rows;
    },
    async countDimension(siteId, day, dimension) {
      return count.get(siteId, day, dimension)?.n ?? 0;
    },
    async errorBuckets(siteId, from, to) {
      return errorBuckets.all(siteId, from, to);
    },
    async ipErrorPeaks(siteId, from, to, limit) {
      return ipPeaks.all(siteId, from, to, Math.max(0, Math.floor(limit)));
    },
    async ipErrorPeaksIn(siteId, ranges, limit, atLeast) {
      const query = candidateQuery(ranges, atLeast);
      if (query === null) return [];
      const ips = candidates.all(siteId, query.from, query.to, query.floor, query.limit).map((row) => row.ip);
      if (ips.length === 0) return ranges.map(() => []);
      const json = JSON.stringify(ips);
      const max = Math.max(0, Math.floor(limit));
      return ranges.map(({ from, to }) =>
        ipPeaksOf.all(siteId, from, to, json, max).filter((peak) => peak.errors >= atLeast.errors),
      );
    },
  };
}
