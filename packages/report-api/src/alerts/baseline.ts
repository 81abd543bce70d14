/**
 * Traffic against its own baseline: is this hour's request count unusual compared with the same
 * local hour on the previous days? See README "Alerts" for why the test looks the way it does.
 */

/** One hour of traffic: its request count and whether its local day is a business day (Mon–Fri). */
export interface HourSample {
  requests: number;
  businessDay: boolean;
}

/** Options of {@link baselineTest}. */
export interface BaselineOptions {
  /** Fewest previous days with data before any verdict (default 7). */
  minHistoryDays?: number;
  /** Fewest previous days of the same kind (business day / weekend) to compare with that kind only (default 3). */
  minSameKindDays?: number;
  /** Neither the hour nor its baseline reaches this many requests: too quiet to judge (default 200). */
  minRequests?: number;
  /** Robust z-score past which the hour is unusual (default 3.5). */
  threshold?: number;
  /**
   * Smallest spread of log counts assumed, so a flat history does not alert on +30%: with the default threshold an hour
   * must be about 1.7x (or 0.6x) its usual count to count as unusual (default 0.15).
   */
  minSpread?: number;
}

/** The verdict of {@link baselineTest}. */
export interface BaselineResult {
  status: 'insufficient-history' | 'low-volume' | 'normal' | 'spike' | 'drop';
  /** Median request count of the compared days (the "expected" value); null without history. */
  expected: number | null;
  /** Robust z-score of the hour on log counts; null when not computed. */
  z: number | null;
  /** How many previous days were compared. */
  days: number;
  /** Which days were compared: the same kind of day, or all days when too few of that kind. */
  compared: 'same-kind' | 'all' | 'none';
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median/MAD z-score of `log(1 + requests)` against the same hour of previous days of the same
 * kind (business days with business days, weekends with weekends), so a quiet weekend and the
 * Monday-morning rise after it are both "normal". The spread has two floors: `minSpread`, and the
 * Poisson noise of the expected count (`1 / sqrt(expected)` on the log scale), so small sites
 * are not alerted on noise.
 *
 * @example
 * const history = Array.from({ length: 14 }, (_, i) => ({ requests: 1000 + i * 10, businessDay: true }));
 * baselineTest({ requests: 1030, businessDay: true }, history).status; // 'normal'
 * baselineTest({ requests: 9000, businessDay: true }, history).status; // 'spike'
 */
export function baselineTest(
  current: HourSample,
  history: HourSample[],
  {
    minHistoryDays = 7,
    minSameKindDays = 3,
    minRequests = 200,
    threshold = 3.5,
    minSpread = 0.15,
  }: BaselineOptions = {},
): BaselineResult {
  if (history.length < minHistoryDays) {
    return { status: 'insufficient-history', expected: null, z: null, days: history.length, compared: 'none' };
  }
  const sameKind = history.filter((sample) => sample.businessDay === current.businessDay);
  const compared = sameKind.length >= minSameKindDays ? 'same-kind' : 'all';
  const pool = compared === 'same-kind' ? sameKind : history;
  const logs = pool.map((sample) => Math.log1p(sample.requests)).sort((a, b) => a - b);
  const center = median(logs);
  const mad = median(logs.map((value) => Math.abs(value - center)).sort((a, b) => a - b));
  const expected = Math.round(Math.expm1(center));
  if (Math.max(current.requests, expected) < minRequests) {
    return { status: 'low-volume', expected, z: null, days: pool.length, compared };
  }
  // 1.4826 * MAD estimates the standard deviation for normal data; the floors keep it honest
  // when the history is flat or the counts are small.
  const spread = Math.max(1.4826 * mad, minSpread, 1 / Math.sqrt(Math.max(expected, 1)));
  const z = (Math.log1p(current.requests) - center) / spread;
  const status = z >= threshold ? 'spike' : z <= -threshold ? 'drop' : 'normal';
  return { status, expected, z: Math.round(z * 100) / 100, days: pool.length, compared };
}
