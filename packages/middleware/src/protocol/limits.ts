/**
 * Bounds of the event contract. A value inside them can be stored, aggregated by local day and
 * reported by every store; the report API refuses, per event, whatever lies outside.
 */

/** Earliest `ts` (and `sentAt`) an event may carry: 2000-01-01T00:00:00Z. */
export const MIN_EVENT_TS = Date.UTC(2000, 0, 1);
/** Latest `ts` an event may carry: the largest JavaScript `Date` (8.64e15 ms). */
export const MAX_EVENT_TS = 8_640_000_000_000_000;
/** Smallest `sampleRate`: 1 in a million (a weight of at most 1e6 per event, never Infinity). */
export const MIN_SAMPLE_RATE = 1e-6;
/** Longest `latencyMs`: one day. */
export const MAX_LATENCY_MS = 86_400_000;
/** Largest `dropped` count a sender may report with one batch. */
export const MAX_DROPPED = 1_000_000_000;

/**
 * Whether `ts` is an epoch-ms integer inside the contract's range (a `Date` can be built from it
 * and formatted in any time zone).
 *
 * @example
 * isEventTs(Date.now()); // true
 * isEventTs(9e15);       // false: past the largest Date
 */
export function isEventTs(ts: unknown): ts is number {
  return typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= MIN_EVENT_TS && ts <= MAX_EVENT_TS;
}
