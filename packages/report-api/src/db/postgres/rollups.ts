import type pg from 'pg';
import type { Counters, DimensionRow, ErrorBucket, IpErrorPeak, RollupStore, TrafficBucket } from '../store.js';
import { COUNTER_COLUMNS } from '../aggregate.js';
import { candidateQuery, errorCandidatesSql, ipErrorPeaksSql } from '../error-peaks.js';
import { rows, statement, type Statement } from './pool.js';

const COUNTERS = COUNTER_COLUMNS.join(', ');
type CounterColumn = (typeof COUNTER_COLUMNS)[number];
const isCounter = (column: string): column is CounterColumn => (COUNTER_COLUMNS as readonly string[]).includes(column);

// Text is compared byte-wise (COLLATE "C", like SQLite's BINARY), so ties come back in the same
// order from both stores whatever the database's collation.
const buckets = statement(
  `SELECT start, ${COUNTERS} FROM traffic_15m WHERE site_id = $1 AND start >= $2 AND start < $3 ORDER BY start`,
);
// One statement per sort column; the column name comes from COUNTER_COLUMNS, never from input.
const top = new Map<CounterColumn, Statement>(
  COUNTER_COLUMNS.map((column) => [
    column,
    statement(
      `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = $1 AND day = $2 AND dim = $3 AND ${column} >= $4
       ORDER BY ${column} DESC, key COLLATE "C" LIMIT $5`,
    ),
  ]),
);
const byKeys = statement(
  `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = $1 AND day = $2 AND dim = $3 AND key = ` +
    `ANY($4::text[])`,
);
const count = statement('SELECT count(*) AS n FROM rollup_day WHERE site_id = $1 AND day = $2 AND dim = $3');
const errorBuckets = statement(
  'SELECT start, errors FROM errors_5s WHERE site_id = $1 AND start >= $2 AND start < $3 ORDER BY start',
);
const ipPeaks = statement(ipErrorPeaksSql(['$1', '$2', '$3', '$4'], ' COLLATE "C"'));
const candidates = statement(errorCandidatesSql(['$1', '$2', '$3', '$4', '$5'], ' COLLATE "C"'));
const ipPeaksOf = statement(ipErrorPeaksSql(['$1', '$2', '$3', '$4'], ' COLLATE "C"', 'ip = ANY($5::text[])'));

/**
 * Rollup reads on PostgreSQL. Every query is bounded by its primary key prefix (site, day or time
 * range); results and their order match the SQLite store's.
 *
 * @example
 * const rollups = postgresRollupStore(pool);
 * await rollups.topDimension(siteId, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 });
 */
export function postgresRollupStore(pool: pg.Pool): RollupStore {
  const anyStatements = new Map<string, Statement>();
  const anyStatement = (orderBy: keyof Counters, columns: CounterColumn[]): Statement => {
    if (!isCounter(orderBy) || columns.length === 0) throw new TypeError('anyAtLeast needs counter columns');
    const key = `${orderBy}|${columns.join(',')}`;
    let found = anyStatements.get(key);
    if (!found) {
      found = statement(
        `SELECT key, extra, ${COUNTERS} FROM rollup_day WHERE site_id = $1 AND day = $2 AND dim = $3
         AND (${columns.map((c, i) => `${c} >= $${4 + i}`).join(' OR ')}) ORDER BY ${orderBy} DESC, key COLLATE ` +
          `"C" LIMIT $${4 + columns.length}`,
      );
      anyStatements.set(key, found);
    }
    return found;
  };

  return {
    async trafficBuckets(siteId, from, to) {
      return rows<TrafficBucket>(pool, buckets, [siteId, from, to]);
    },
    async topDimension(siteId, day, dimension, query) {
      const limit = Math.max(0, Math.floor(query.limit));
      if (query.anyAtLeast) {
        const entries = Object.entries(query.anyAtLeast).filter((entry): entry is [CounterColumn, number] =>
          isCounter(entry[0]),
        );
        const st = anyStatement(
          query.orderBy,
          entries.map(([column]) => column),
        );
        return rows<DimensionRow>(pool, st, [siteId, day, dimension, ...entries.map(([, min]) => min), limit]);
      }
      const st = top.get(query.orderBy as CounterColumn);
      if (!st) throw new TypeError(`cannot order by ${String(query.orderBy)}`);
      return rows<DimensionRow>(pool, st, [siteId, day, dimension, query.min ?? Number.NEGATIVE_INFINITY, limit]);
    },
    async getDimensionRows(siteId, day, dimension, keys) {
      if (keys.length === 0) return [];
      const found = new Map(
        (await rows<DimensionRow>(pool, byKeys, [siteId, day, dimension, [...keys]])).map((row) => [row.key, row]),
      );
      // In the order asked for, like SQLite's one look-up per key.
      return keys.flatMap((key) => {
        const row = found.get(key);
        return row ? [row] : [];
      });
    },
    async countDimension(siteId, day, dimension) {
      const [row] = await rows<{ n: number }>(pool, count, [siteId, day, dimension]);
      return row?.n ?? 0;
    },
    async errorBuckets(siteId, from, to) {
      return rows<ErrorBucket>(pool, errorBuckets, [siteId, from, to]);
    },
    async ipErrorPeaks(siteId, from, to, limit) {
      return rows<IpErrorPeak>(pool, ipPeaks, [siteId, from, to, Math.max(0, Math.floor(limit))]);
    },
    async ipErrorPeaksIn(siteId, ranges, limit, atLeast) {
      const query = candidateQuery(ranges, atLeast);
      if (query === null) return [];
      const values = [siteId, query.from, query.to, query.floor, query.limit];
      const ips = (await rows<{ ip: string }>(pool, candidates, values)).map((r) => r.ip);
      if (ips.length === 0) return ranges.map(() => []);
      const max = Math.max(0, Math.floor(limit));
      const lists = await Promise.all(
        ranges.map(({ from, to }) => rows<IpErrorPeak>(pool, ipPeaksOf, [siteId, from, to, max, ips])),
      );
      return lists.map((list) => list.filter((peak) => peak.errors >= atLeast.errors));
    },
  };
}
