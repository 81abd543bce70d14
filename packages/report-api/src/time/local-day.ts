import { localDateAt } from './days.js';

/**
 * Returns a cached `quarterStart → YYYY-MM-DD` mapper for one IANA zone. Intl formatting is slow, so
 * each quarter hour is formatted once (by `localDateAt`, the report's own local-date rule); the cache
 * is cleared when it grows past `maxEntries`.
 *
 * @example
 * localDayOf('Asia/Tokyo')(Date.parse('2026-03-01T15:00:00Z')); // '2026-03-02'
 */
export function localDayOf(timeZone: string, maxEntries = 20_000): (epochMs: number) => string {
  const cache = new Map<number, string>();
  return function localDay(epochMs) {
    let day = cache.get(epochMs);
    if (day === undefined) {
      if (cache.size >= maxEntries) cache.clear();
      day = localDateAt(epochMs, timeZone);
      cache.set(epochMs, day);
    }
    return day;
  };
}
