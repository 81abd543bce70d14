import type pg from 'pg';
import type {
  DrillDownStore,
  SliceBucket,
  SliceCounts,
  SliceFilter,
  SliceGroup,
  SliceGroupBy,
  SliceSummary,
} from '../drilldown.js';
import { rows, statement, type Statement } from './pool.js';

/** Group key and extra of each `groupBy` as SQL over the `slice` rows (`extra` an aggregate or a grouped column). */
const GROUPS: Record<SliceGroupBy, { key: string; extra: string; groupBy: string }> = {
  ip: { key: 'ip', extra: 'mode() WITHIN GROUP (ORDER BY country)', groupBy: 'ip' },
  country: { key: 'country', extra: 'NULL::text', groupBy: 'country' },
  path: { key: 'path', extra: 'NULL::text', groupBy: 'path' },
  ua: { key: 'ua', extra: 'mode() WITHIN GROUP (ORDER BY bot_category)', groupBy: 'ua' },
  status: { key: 'status::text', extra: 'NULL::text', groupBy: 'status' },
  decision: { key: 'action', extra: 'rule', groupBy: 'action, rule' },
  bot: { key: 'bot_category', extra: 'NULL::text', groupBy: 'bot_category' },
};

// Sample-weighted sums; rounded once in JS, as the SQLite store does.
const SUMS = `coalesce(sum(w), 0) AS requests,
  coalesce(sum(w) FILTER (WHERE action = 'block'), 0) AS blocked,
  coalesce(sum(w) FILTER (WHERE action = 'count'), 0) AS counted,
  coalesce(sum(w) FILTER (WHERE status BETWEEN 400 AND 499), 0) AS errors_4xx,
  coalesce(sum(w) FILTER (WHERE status BETWEEN 500 AND 599), 0) AS errors_5xx`;

interface Row {
  part: string;
  bucket: number | null;
  key: string | null;
  extra: string | null;
  requests: number;
  blocked: number;
  counted: number;
  errors_4xx: number;
  errors_5xx: number;
}

function filterSql(filter: SliceFilter): { sql: string; values: unknown[]; name: string } {
  if ('ip' in filter) return { sql: 'ip = $2', values: [filter.ip], name: 'ip' };
  if ('path' in filter) return { sql: 'path = $2', values: [filter.path], name: 'path' };
  // The name's own traffic: impersonators that claimed it are the report's impersonators.
  if ('botName' in filter)
    return { sql: "bot_name = $2 AND bot_category <> 'impersonator'", values: [filter.botName], name: 'bot' };
  return filter.country === null
    ? { sql: 'country IS NULL AND $2::text IS NULL', values: [null], name: 'nocountry' }
    : { sql: 'country = $2', values: [filter.country], name: 'country' };
}

/**
 * The SQL of one slice summary: the slice's rows read once (a materialised CTE through the
 * `(site_id, ip | country | path, ts)` index), then totals, the timeline and each group folded by
 * the server. Per group only the top `$6` by requests come back (`rank`, so rows tied with the last
 * one come too and the final order and cut are made in JS exactly as SQLite's store makes them).
 */
function sliceSql(filter: string, groupBy: readonly SliceGroupBy[]): string {
  const parts = [
    `SELECT 'totals' AS part, NULL::bigint AS bucket, NULL::text AS key, NULL::text AS extra, ${SUMS} FROM slice`,
    `SELECT 'timeline', (ts - $3) / $5, NULL, NULL, ${SUMS} FROM slice GROUP BY 2`,
    ...groupBy.map((by) => {
      const g = GROUPS[by];
      return (
        `SELECT part, NULL, key, extra, requests, blocked, counted, errors_4xx, errors_5xx FROM (
        SELECT '${by}' AS part, ${g.key} AS key, ${g.extra} AS extra, ${SUMS}, rank() OVER (ORDER BY ` +
        `coalesce(sum(w), 0) DESC) AS place
        FROM slice GROUP BY ${g.groupBy}) AS ranked WHERE place <= $6`
      );
    }),
  ];
  return `WITH slice AS MATERIALIZED (
      SELECT ts, ip, country, path, ua, status, action, rule, bot_category, 1 / sample_rate AS w
      FROM events WHERE site_id = $1 AND ${filter} AND ts >= $3 AND ts < $4)
    ${parts.map((p) => `(${p})`).join('\nUNION ALL ')}`;
}

const counts = (r: Row): SliceCounts => ({
  requests: r.requests,
  blocked: r.blocked,
  counted: r.counted,
  errors4xx: r.errors_4xx,
  errors5xx: r.errors_5xx,
});

function rounded<T extends SliceCounts>(c: T): T {
  return {
    ...c,
    requests: Math.round(c.requests),
    blocked: Math.round(c.blocked),
    counted: Math.round(c.counted),
    errors4xx: Math.round(c.errors4xx),
    errors5xx: Math.round(c.errors5xx),
  };
}

/**
 * Drill-down summaries on PostgreSQL, aggregated in the database (one round trip, only the
 * summary crosses the network), with the same results as the SQLite store: sample-weighted counts
 * rounded at the end, groups most requests first then by key, at most 1,000 per group. The `extra`
 * of an IP (its country) and of a user agent (its bot category) is the most frequent one.
 *
 * @example
 * const drill = postgresDrillDownStore(pool);
 * const options = { bucketMs: 3_600_000, groupBy: ['ip'], limit: 20 };
 * await drill.sliceSummary('s_1', { path: '/login' }, { from, to }, options);
 */
export function postgresDrillDownStore(pool: pg.Pool): DrillDownStore {
  const statements = new Map<string, Statement>();
  return {
    async sliceSummary(siteId, filter, range, { bucketMs, groupBy, limit }): Promise<SliceSummary> {
      if (!Number.isInteger(bucketMs) || bucketMs <= 0)
        throw new TypeError(`sliceSummary: bucketMs must be a positive integer, got ${bucketMs}`);
      for (const g of groupBy)
        if (!Object.hasOwn(GROUPS, g)) throw new TypeError(`sliceSummary: unknown groupBy ${JSON.stringify(g)}`);
      const max = Math.max(0, Math.min(1000, Math.floor(limit)));
      const where = filterSql(filter);
      const unique = [...new Set(groupBy)];
      const id = `${where.name}|${unique.join(',')}`;
      let st = statements.get(id);
      if (!st) statements.set(id, (st = statement(sliceSql(where.sql, unique))));
      // `$6` (the limit) only appears in the SQL when there are groups.
      const values = [siteId, ...where.values, range.from, range.to, bucketMs, ...(unique.length > 0 ? [max] : [])];
      const result = await rows<Row>(pool, st, values);

      let totals: SliceCounts = { requests: 0, blocked: 0, counted: 0, errors4xx: 0, errors5xx: 0 };
      const timeline: SliceBucket[] = [];
      const groups = new Map<string, SliceGroup[]>(unique.map((by) => [by, []]));
      for (const row of result) {
        if (row.part === 'totals') totals = counts(row);
        else if (row.part === 'timeline') timeline.push({ index: row.bucket!, ...counts(row) });
        else groups.get(row.part)?.push({ key: row.key, extra: row.extra, ...counts(row) });
      }
      const summary: SliceSummary['groups'] = {};
      for (const by of groupBy) {
        summary[by] = groups
          .get(by)!
          .sort((a, b) => b.requests - a.requests || String(a.key).localeCompare(String(b.key)))
          .slice(0, max)
          .map(rounded);
      }
      return {
        totals: rounded(totals),
        timeline: timeline.sort((a, b) => a.index - b.index).map(rounded),
        groups: summary,
      };
    },
  };
}
