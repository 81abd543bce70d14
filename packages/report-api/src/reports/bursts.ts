import { ERROR_BUCKET_MS, QUARTER_MS } from '../db/aggregate.js';
import type { ErrorBucket, TrafficBucket } from '../db/store.js';

/** The burst window: "more than 100 4xx+5xx within 30 s", as the middleware's ban window. */
export const BURST_WINDOW_MS = 30_000;
const BUCKETS_PER_WINDOW = BURST_WINDOW_MS / ERROR_BUCKET_MS;

/** A run of overlapping 30-s windows past the threshold, reported once. */
export interface Burst {
  /** Where its errors begin: the first 5-s bucket of its windows' cores (see `findBursts`). */
  start: number;
  /** The end of the last 5-s bucket of its windows' cores. */
  end: number;
  /** Most weighted errors in one of its 30-s windows (the peak). */
  errors: number;
  /** The first bucket with errors of the peak window (the earliest peak on a tie). */
  peakStart: number;
  /** The first bucket with errors in any of its windows, whole: where to look for the IPs behind it. */
  windowsStart: number;
  /** The end of the last bucket with errors in any of its windows. */
  windowsEnd: number;
}

/**
 * Finds bursts in 5-second error buckets (ascending by `start`, each a multiple of 5 s, as
 * `RollupStore.errorBuckets` returns them). A window is six consecutive buckets, so any 30 s that
 * starts on a multiple of 5 s; windows slide in 5-s steps. Every window whose sum passes `isBurst`
 * (given the sum and the window's start) counts; windows that overlap make one burst, with the
 * largest sum as its peak. Its edges are those of its windows' cores: each window without the
 * buckets at either end that it stays over the threshold without, so steady background errors do
 * not stretch a burst by 25 s on each side.
 *
 * Resolution: a sum is the exact count of its 30 s and never more. Errors packed into any 25 s
 * always fall into one window; errors spread over 25 to 30 s that do not start on a multiple of
 * 5 s may be cut in two windows, so such a burst is seen when errors go on up to 5 s later.
 *
 * @example
 * findBursts([{ start: 25_000, errors: 75 }, { start: 30_000, errors: 75 }], (errors) => errors > 100);
 * // [{ start: 25_000, end: 35_000, errors: 150, peakStart: 25_000, windowsStart: 25_000, windowsEnd: 35_000 }]
 */
export function findBursts(
  buckets: readonly ErrorBucket[],
  isBurst: (errors: number, windowStart: number) => boolean,
): Burst[] {
  const bursts: Burst[] = [];
  let current: (Burst & { windowEnd: number }) | null = null;
  // The window [s, s + 30 s) holds buckets[lo..hi). Only windows with a bucket in them are visited:
  // after the last bucket of a stretch, s jumps to the first window reaching the next bucket.
  let lo = 0;
  let hi = 0;
  let s = buckets.length > 0 ? buckets[0]!.start - BURST_WINDOW_MS + ERROR_BUCKET_MS : 0;
  while (lo < buckets.length) {
    while (lo < buckets.length && buckets[lo]!.start < s) lo++;
    if (lo === buckets.length) break;
    if (hi < lo) hi = lo;
    while (hi < buckets.length && buckets[hi]!.start < s + BURST_WINDOW_MS) hi++;
    if (hi === lo) {
      s = buckets[lo]!.start - BURST_WINDOW_MS + ERROR_BUCKET_MS;
      continue;
    }
    // Summed afresh (at most six terms) rather than kept as a running total: fractional weights
    // (1 / sampleRate) would otherwise leave rounding drift behind a long incident.
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += buckets[i]!.errors;
    if (isBurst(sum, s)) {
      let a = lo;
      let b = hi - 1;
      let core = sum;
      while (a < b && isBurst(core - buckets[a]!.errors, s)) core -= buckets[a++]!.errors;
      while (b > a && isBurst(core - buckets[b]!.errors, s)) core -= buckets[b--]!.errors;
      const first = buckets[a]!.start;
      const last = buckets[b]!.start + ERROR_BUCKET_MS;
      const windowFirst = buckets[lo]!.start;
      if (current !== null && s < current.windowEnd) {
        current.start = Math.min(current.start, first);
        current.end = Math.max(current.end, last);
        current.windowsEnd = buckets[hi - 1]!.start + ERROR_BUCKET_MS;
        current.windowEnd = s + BURST_WINDOW_MS;
        if (sum > current.errors) Object.assign(current, { errors: sum, peakStart: windowFirst });
      } else {
        if (current !== null) bursts.push(finish(current));
        current = {
          start: first,
          end: last,
          errors: sum,
          peakStart: windowFirst,
          windowsStart: windowFirst,
          windowsEnd: buckets[hi - 1]!.start + ERROR_BUCKET_MS,
          windowEnd: s + BURST_WINDOW_MS,
        };
      }
    }
    s += ERROR_BUCKET_MS;
  }
  if (current !== null) bursts.push(finish(current));
  return bursts;
}

function finish({ start, end, errors, peakStart, windowsStart, windowsEnd }: Burst): Burst {
  return { start, end, errors, peakStart, windowsStart, windowsEnd };
}

/**
 * The time range to read error buckets for bursts touching `[from, to)`: a window that ends inside
 * it may start up to 25 s before, one that starts inside may end 25 s after.
 *
 * @example
 * const { from: readFrom, to: readTo } = burstReadRange(dayFrom, dayTo);
 */
export function burstReadRange(from: number, to: number): { from: number; to: number } {
  const reach = (BUCKETS_PER_WINDOW - 1) * ERROR_BUCKET_MS;
  return { from: from - reach, to: to + reach };
}

/** Quarter-hours on either side whose errors make a window's baseline: two hours each way. */
export const BASELINE_QUARTERS = 8;
const WINDOWS_PER_QUARTER = QUARTER_MS / BURST_WINDOW_MS;

/**
 * How many errors a 30-s window starting at a given time must pass to be a burst: more than
 * `absolute`, and more than `factor` times the errors of a typical 30 s around it, the median
 * over the quarter-hours within two hours either side (a quarter without rows counting 0) divided
 * by the 30 windows of a quarter. A median of 17 quarters: a burst of up to an hour does not raise
 * its own baseline; a busy day, a quiet night or a site that grew overnight sets its own. A window
 * straddling two quarters takes the higher of their thresholds. `quarters` must cover `[from - 2 h,
 * to + 2 h)` for windows in `[from, to)`. Returns the function and the highest threshold in the range.
 *
 * @example
 * const { over } = burstThresholds(quarterBuckets, { from, to, absolute: 100, factor: 3 });
 * findBursts(errorBuckets, (errors, start) => errors > over(start));
 */
export function burstThresholds(
  quarters: readonly TrafficBucket[],
  { from, to, absolute, factor }: { from: number; to: number; absolute: number; factor: number },
): { over: (windowStart: number) => number; highest: number } {
  const errors = new Map(quarters.map((q) => [q.start, q.s4xx + q.s5xx]));
  const first = from - (from % QUARTER_MS) - QUARTER_MS;
  const thresholds = new Map<number, number>();
  let highest = absolute;
  for (let q = first; q < to + QUARTER_MS; q += QUARTER_MS) {
    const around: number[] = [];
    for (let k = -BASELINE_QUARTERS; k <= BASELINE_QUARTERS; k++) around.push(errors.get(q + k * QUARTER_MS) ?? 0);
    around.sort((a, b) => a - b);
    const typical = around[BASELINE_QUARTERS]! / WINDOWS_PER_QUARTER;
    const threshold = Math.max(absolute, factor * typical);
    thresholds.set(q, threshold);
    if (q >= from - (from % QUARTER_MS) && q < to) highest = Math.max(highest, threshold);
  }
  const at = (t: number) => thresholds.get(t - (t % QUARTER_MS)) ?? absolute;
  return { over: (start) => Math.max(at(start), at(start + BURST_WINDOW_MS - 1)), highest };
}

/**
 * The burst threshold of a live check at `at` (the alert monitor), which cannot see the hours after:
 * more than `absolute`, and more than `factor` times the typical 30 s of the two hours before the
 * current quarter-hour, the median of those 8 quarters (a quarter without rows counting 0, the
 * higher middle one) divided by the 30 windows of a quarter. The current quarter, where a burst
 * happens, is left out; an attack of up to an hour does not raise the threshold it is judged by.
 * `quarters` must cover the two hours before `at`'s quarter.
 *
 * @example
 * const quarters = await store.trafficBuckets(site.id, liveBaselineFrom(at), at);
 * findBursts(buckets, (errors) => errors > liveBurstThreshold(quarters, { at, absolute: 100, factor: 3 }));
 */
export function liveBurstThreshold(
  quarters: readonly TrafficBucket[],
  { at, absolute, factor }: { at: number; absolute: number; factor: number },
): number {
  const errors = new Map(quarters.map((q) => [q.start, q.s4xx + q.s5xx]));
  const current = at - (at % QUARTER_MS);
  const before: number[] = [];
  for (let k = 1; k <= BASELINE_QUARTERS; k++) before.push(errors.get(current - k * QUARTER_MS) ?? 0);
  before.sort((a, b) => a - b);
  return Math.max(absolute, (factor * before[BASELINE_QUARTERS / 2]!) / WINDOWS_PER_QUARTER);
}

/** Where the quarters `liveBurstThreshold` reads at `at` begin. */
export function liveBaselineFrom(at: number): number {
  return at - (at % QUARTER_MS) - BASELINE_QUARTERS * QUARTER_MS;
}
