import { MIN_EVENT_TS } from '@watchpost/middleware/protocol';

/** Earliest time an imported event may have: the protocol's, 2000-01-01 UTC. Older is a broken or hostile record. */
export const MIN_IMPORT_TS = MIN_EVENT_TS;
/** How far past `now` an imported event may be: one day of clock skew between the logger and us. */
export const MAX_IMPORT_FUTURE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a log's time (epoch ms) is one a real request can have: a safe integer from 2000-01-01 to a
 * day after `now`. Everything else (9e15, past the largest `Date`, 1970, a year in the future)
 * is skipped as `bad-timestamp` rather than reaching the store.
 *
 * @example
 * plausibleTs(Date.UTC(2026, 2, 9), Date.now()); // true
 * plausibleTs(9e15, Date.now()); // false
 */
export function plausibleTs(ts: unknown, now: number): ts is number {
  return typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= MIN_IMPORT_TS && ts <= now + MAX_IMPORT_FUTURE_MS;
}

/** Largest autonomous system number (32-bit). */
const MAX_ASN = 4_294_967_295;

/**
 * An ASN as logged, or `undefined` when it is not a 32-bit unsigned integer (the field is then left out).
 *
 * @example
 * cleanAsn(16509); // 16509
 * cleanAsn(1e300); // undefined
 */
export function cleanAsn(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ASN ? value : undefined;
}
