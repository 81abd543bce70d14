import { ERROR_BUCKET_MS } from './aggregate.js';

/** How far back a 30-s sum reaches from its last 5-s bucket: five more buckets. */
const REACH_MS = 30_000 - ERROR_BUCKET_MS;

/**
 * The query behind `RollupStore.ipErrorPeaks`, the same on SQLite and PostgreSQL (both have window
 * functions with `RANGE` offsets): for every bucket of an IP, the sum of the six 5-s buckets ending
 * there (any 30-s sum is at most the one ending at its last bucket with errors, so these hold every
 * peak) and the first bucket with errors among them; then each IP's best, most errors first.
 * `params` are the placeholders of site id, from, to and limit; `collate` makes ties on the IP
 * sort byte-wise on PostgreSQL as on SQLite; `ips`, when given, an SQL condition on `ip` that keeps
 * only the candidates (`ipErrorPeaksIn`); `table` the table as the FROM clause names it (SQLite
 * pins the by-IP index for the candidates with `INDEXED BY`).
 *
 * @example
 * db.prepare(ipErrorPeaksSql(['?', '?', '?', '?'], '')).all(siteId, from, to, 10);
 */
export function ipErrorPeaksSql(
  [site, from, to, limit]: readonly [string, string, string, string],
  collate: string,
  ips = '',
  table = 'ip_errors_5s',
): string {
  return `SELECT ip, errors, first AS start FROM (
    SELECT ip, errors, first, row_number() OVER (PARTITION BY ip ORDER BY errors DESC, start) AS n FROM (
      SELECT ip, start, sum(errors) OVER w AS errors, first_value(start) OVER w AS first
      FROM ${table} WHERE site_id = ${site} AND start >= ${from} AND start < ${to}${ips ? ` AND ${ips}` : ''}
      WINDOW w AS (PARTITION BY ip ORDER BY start RANGE BETWEEN ${REACH_MS} PRECEDING AND CURRENT ROW)
    ) AS sums
  ) AS ranked
  WHERE n = 1 ORDER BY errors DESC, ip${collate} LIMIT ${limit}`;
}

/** How many 5-s buckets one 30-s sum adds up: the one it ends with and those it reaches back to. */
export const BUCKETS_PER_PEAK = REACH_MS / ERROR_BUCKET_MS + 1;

/**
 * Most candidate IPs `ipErrorPeaksIn` takes from the error buckets: those with the most errors in one
 * of them. A botnet of millions of addresses would otherwise make a list of them all in memory; past
 * this many, an IP with fewer errors in its worst bucket is left out of the evidence.
 */
export const MAX_ERROR_CANDIDATES = 10_000;

/** `maxCandidates` as a whole number in 1..`MAX_ERROR_CANDIDATES` (the default). */
function candidateLimit(maxCandidates: number | undefined): number {
  if (maxCandidates === undefined || !(maxCandidates >= 1)) return MAX_ERROR_CANDIDATES;
  return Math.min(MAX_ERROR_CANDIDATES, Math.floor(maxCandidates));
}

/**
 * The fewest errors one 5-s bucket of an IP holds when one of its 30-s sums reaches `errors`: a sum
 * of `BUCKETS_PER_PEAK` buckets reaches it only if one of them holds a share (a hair less, for
 * rounding). Most IPs with errors all day never come near it.
 */
export function bucketFloor(errors: number): number {
  return (errors / BUCKETS_PER_PEAK) * (1 - 1e-9);
}

/**
 * What both stores' `ipErrorPeaksIn` ask for their candidates: the span of all the ranges, the bucket
 * floor and the candidate limit; null for no ranges. A loop, not `Math.min(...ranges)`: the ranges
 * come from the day's bursts, and a spread has an argument limit.
 */
export function candidateQuery(
  ranges: readonly { from: number; to: number }[],
  { errors, maxCandidates }: { errors: number; maxCandidates?: number },
): { from: number; to: number; floor: number; limit: number } | null {
  if (ranges.length === 0) return null;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const range of ranges) {
    from = Math.min(from, range.from);
    to = Math.max(to, range.to);
  }
  return { from, to, floor: bucketFloor(errors), limit: candidateLimit(maxCandidates) };
}

/**
 * The IPs with a 5-s bucket of `from <= start < to` holding at least `floor` errors (`bucketFloor`):
 * the only ones whose 30-s sums there can reach the threshold (`ipErrorPeaksIn`'s candidates). Most
 * errors in one bucket first, at most `limit`. Placeholders: site id, from, to, floor, limit;
 * `collate` orders ties on the IP byte-wise on PostgreSQL as on SQLite. Reads the range's buckets
 * through the primary key (site, start, ip), which every bucket of the range is in.
 */
export function errorCandidatesSql(
  [site, from, to, floor, limit]: readonly [string, string, string, string, string],
  collate: string,
) {
  return (
    `SELECT ip FROM ip_errors_5s WHERE site_id = ${site} AND start >= ${from} AND start < ${to} ` +
    `AND errors >= ${floor} GROUP BY ip ORDER BY max(errors) DESC, ip${collate} LIMIT ${limit}`
  );
}
