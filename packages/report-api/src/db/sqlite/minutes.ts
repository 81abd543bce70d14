import type Database from 'better-sqlite3';

/** Bucket of the per-IP index `events_site_minute_ip`: queries must write exactly `ts / 60000`. */
export const MINUTE_MS = 60_000;

/** Columns with a `(site_id, ts / 60000, column)` index (`events_site_minute_<column>`). */
export type MinuteIndexed = 'ip' | 'country' | 'path' | 'bot_name';

/**
 * The SQL of a look-up by IP, country or path through its `(site_id, ts / 60000, column)` index: one
 * index seek per minute of the range. The minutes come from a recursive CTE bound to `?1` (first
 * minute) and `?2` (last minute), then `site_id`, then `match` (e.g. `ip = ?`), then `rest`.
 * `INDEXED BY` keeps the plan independent of planner statistics (a fresh database has none).
 *
 * @example
 * db.prepare(perMinuteSql('ip', 'ip = ?', 'ts, path', 'AND ts >= ? AND ts < ?'));
 */
export function perMinuteSql(column: MinuteIndexed, match: string, columns: string, rest: string, tail = ''): string {
  return `WITH RECURSIVE minute(m) AS (SELECT ? UNION ALL SELECT m + 1 FROM minute WHERE m < ?)
    SELECT ${columns} FROM events INDEXED BY events_site_minute_${column}
    WHERE site_id = ? AND ts / 60000 IN minute AND ${match} ${rest} ${tail}`;
}

/**
 * The first and last minute with events of a site inside `[from, to)`, or null when there are none.
 * Clamping to the data keeps a wide query (a year, or `0..2030`) to the minutes raw events exist for
 * (at most the retention window), read from two seeks of `(site_id, ts)`.
 *
 * @example
 * const span = minuteSpan(db)('site_1', from, to); // [29543040, 29544479] or null
 */
export function minuteSpan(
  db: Database.Database,
): (siteId: string, from: number, to: number) => [number, number] | null {
  const first = db.prepare<[string, number, number], { ts: number }>(
    'SELECT ts FROM events WHERE site_id = ? AND ts >= ? AND ts < ? ORDER BY site_id, ts LIMIT 1',
  );
  const last = db.prepare<[string, number, number], { ts: number }>(
    'SELECT ts FROM events WHERE site_id = ? AND ts >= ? AND ts < ? ORDER BY site_id DESC, ts DESC LIMIT 1',
  );
  return (siteId, from, to) => {
    const a = first.get(siteId, from, to);
    const b = a && last.get(siteId, from, to);
    if (!a || !b) return null;
    return [Math.floor(a.ts / MINUTE_MS), Math.floor(b.ts / MINUTE_MS)];
  };
}
