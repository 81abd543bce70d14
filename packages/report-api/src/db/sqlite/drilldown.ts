import type Database from 'better-sqlite3';
import type { DrillDownStore, SliceCounts, SliceFilter, SliceGroupBy } from '../drilldown.js';

const COUNTS = `
  coalesce(sum(1.0 / sample_rate), 0) AS requests,
  coalesce(sum(CASE WHEN action = 'block' THEN 1.0 / sample_rate END), 0) AS blocked,
  coalesce(sum(CASE WHEN action = 'count' THEN 1.0 / sample_rate END), 0) AS counted,
  coalesce(sum(CASE WHEN status BETWEEN 400 AND 499 THEN 1.0 / sample_rate END), 0) AS errors4xx,
  coalesce(sum(CASE WHEN status BETWEEN 500 AND 599 THEN 1.0 / sample_rate END), 0) AS errors5xx`;

/** SQL for the group key and extra of each `groupBy`; fixed strings, never built from input. */
const GROUPS: Record<SliceGroupBy, { key: string; extra: string; by: string }> = {
  ip: { key: 'ip', extra: 'max(country)', by: 'ip' },
  country: { key: 'country', extra: 'NULL', by: 'country' },
  path: { key: 'path', extra: 'NULL', by: 'path' },
  ua: { key: 'ua', extra: 'max(bot_category)', by: 'ua' },
  status: { key: 'CAST(status AS TEXT)', extra: 'NULL', by: 'status' },
  decision: { key: 'action', extra: 'rule', by: 'action, rule' },
  bot: { key: 'bot_category', extra: 'NULL', by: 'bot_category' },
};

type CountsRow = SliceCounts;

function where(filter: SliceFilter): { sql: string; params: unknown[]; name: string } {
  if ('ip' in filter) return { sql: 'ip = ?', params: [filter.ip], name: 'ip' };
  if ('path' in filter) return { sql: 'path = ?', params: [filter.path], name: 'path' };
  return filter.country === null
    ? { sql: 'country IS NULL', params: [], name: 'nocountry' }
    : { sql: 'country = ?', params: [filter.country], name: 'country' };
}

function rounded<T extends SliceCounts>(row: T): T {
  return {
    ...row,
    requests: Math.round(row.requests),
    blocked: Math.round(row.blocked),
    counted: Math.round(row.counted),
    errors4xx: Math.round(row.errors4xx),
    errors5xx: Math.round(row.errors5xx),
  };
}

/**
 * Drill-down aggregates straight from the raw `events` table (indexed by site and time, and by
 * site, IP and time). Statements are prepared once per shape and reused.
 *
 * @example
 * const drill = sqliteDrillDownStore(db);
 * await drill.sliceGroups('s_1', { path: '/login' }, { from, to }, 'ip', 20);
 */
export function sqliteDrillDownStore(db: Database.Database): DrillDownStore {
  const statements = new Map<string, Database.Statement<unknown[], unknown>>();
  const prepared = (name: string, sql: () => string) => {
    let statement = statements.get(name);
    if (!statement) statements.set(name, (statement = db.prepare<unknown[], unknown>(sql())));
    return statement;
  };

  return {
    async sliceTotals(siteId, filter, range) {
      const w = where(filter);
      const statement = prepared(`totals:${w.name}`, () => `SELECT ${COUNTS} FROM events WHERE site_id = ? AND ts >= ? AND ts < ? AND ${w.sql}`);
      return rounded(statement.get(siteId, range.from, range.to, ...w.params) as CountsRow);
    },
    async sliceTimeline(siteId, filter, range, bucketMs) {
      if (!Number.isInteger(bucketMs) || bucketMs <= 0) throw new TypeError(`sliceTimeline: bucketMs must be a positive integer, got ${bucketMs}`);
      const w = where(filter);
      const statement = prepared(
        `timeline:${w.name}`,
        () => `SELECT CAST((ts - ?) / ? AS INTEGER) AS "index", ${COUNTS} FROM events WHERE site_id = ? AND ts >= ? AND ts < ? AND ${w.sql} GROUP BY 1 ORDER BY 1`,
      );
      const rows = statement.all(range.from, bucketMs, siteId, range.from, range.to, ...w.params) as Array<CountsRow & { index: number }>;
      return rows.map(rounded);
    },
    async sliceGroups(siteId, filter, range, groupBy, limit) {
      const group = GROUPS[groupBy];
      if (!group) throw new TypeError(`sliceGroups: unknown groupBy ${JSON.stringify(groupBy)}`);
      const w = where(filter);
      const statement = prepared(
        `groups:${w.name}:${groupBy}`,
        () => `SELECT ${group.key} AS key, ${group.extra} AS extra, ${COUNTS} FROM events
          WHERE site_id = ? AND ts >= ? AND ts < ? AND ${w.sql} GROUP BY ${group.by} ORDER BY requests DESC, key LIMIT ?`,
      );
      const max = Math.max(0, Math.min(1000, Math.floor(limit)));
      const rows = statement.all(siteId, range.from, range.to, ...w.params, max) as Array<CountsRow & { key: string | null; extra: string | null }>;
      return rows.map(rounded);
    },
  };
}
