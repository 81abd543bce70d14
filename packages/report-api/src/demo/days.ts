/** Local-day arithmetic for the demo: which dates to play and where they start in epoch ms. */

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ts: number, timeZone: string): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { y: parts.year ?? 0, m: parts.month ?? 1, d: parts.day ?? 1, hh: parts.hour ?? 0, mm: parts.minute ?? 0, ss: parts.second ?? 0 };
}

/** Offset of the zone from UTC at `ts`, in ms (Asia/Tokyo: +9 h). */
function offsetAt(ts: number, timeZone: string): number {
  const w = wallClock(ts, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm, w.ss) - Math.floor(ts / 1000) * 1000;
}

/**
 * The local date (YYYY-MM-DD) of an instant in a time zone.
 *
 * @example
 * localDate(Date.parse('2026-11-26T20:00:00Z'), 'Asia/Tokyo'); // '2026-11-27'
 */
export function localDate(ts: number, timeZone: string): string {
  const w = wallClock(ts, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/**
 * The local day `date` in `timeZone` as epoch ms, [from, to).
 *
 * @example
 * localDayRange('2026-11-27', 'Asia/Tokyo'); // { from: Date.parse('2026-11-26T15:00:00Z'), to: ... + 24 h }
 */
export function localDayRange(date: string, timeZone: string): { from: number; to: number } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new TypeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const start = (day: string): number => {
    const guess = Date.parse(`${day}T00:00:00Z`);
    // Two passes settle the offset even when midnight falls near a daylight-saving change.
    const first = guess - offsetAt(guess, timeZone);
    return guess - offsetAt(first, timeZone);
  };
  const from = start(date);
  const next = localDate(from + 26 * HOUR, timeZone);
  return { from, to: start(next) };
}

/**
 * The day before `date` (YYYY-MM-DD).
 *
 * @example
 * previousDate('2026-03-01'); // '2026-02-28'
 */
export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - 24 * HOUR).toISOString().slice(0, 10);
}
