/**
 * Returns a cached `quarterStart → YYYY-MM-DD` mapper for one IANA zone. Intl formatting is slow, so
 * each quarter hour is formatted once; the cache is cleared when it grows past `maxEntries`.
 *
 * @example
 * localDayOf('Asia/Tokyo')(Date.parse('2026-03-01T15:00:00Z')); // '2026-03-02'
 */
export function localDayOf(timeZone: string, maxEntries = 20_000): (epochMs: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const cache = new Map<number, string>();
  return function localDay(epochMs) {
    let day = cache.get(epochMs);
    if (day === undefined) {
      if (cache.size >= maxEntries) cache.clear();
      const parts = format.formatToParts(epochMs);
      const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      day = `${get('year')}-${get('month')}-${get('day')}`;
      cache.set(epochMs, day);
    }
    return day;
  };
}
