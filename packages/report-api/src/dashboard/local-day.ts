import { addDays } from './format.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string, ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const get = (type: string) => Number(format.formatToParts(ms).find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function offsetAt(timeZone: string, ms: number): number {
  const p = partsIn(timeZone, ms);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The epoch ms of local midnight starting `date` in `timeZone`. */
function localMidnight(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two rounds settle the offset even when midnight sits next to a daylight-saving change.
  let guess = wall - offsetAt(timeZone, wall);
  guess = wall - offsetAt(timeZone, guess);
  return guess;
}

/**
 * A site-local day as epoch ms `[from, to)`; 23 or 25 hours long on a daylight-saving change.
 *
 * @example
 * localDayRange('2026-11-26', 'Asia/Tokyo'); // { from: Date.parse('2026-11-25T15:00:00Z'), to: Date.parse('2026-11-26T15:00:00Z') }
 */
export function localDayRange(date: string, timeZone: string): { from: number; to: number } {
  return { from: localMidnight(date, timeZone), to: localMidnight(addDays(date, 1), timeZone) };
}

/**
 * Today's date (YYYY-MM-DD) in `timeZone` at instant `now`.
 *
 * @example
 * localDate(Date.parse('2026-11-26T16:00:00Z'), 'Asia/Tokyo'); // '2026-11-27'
 */
export function localDate(now: number, timeZone: string): string {
  const p = partsIn(timeZone, now);
  return `${String(p.y).padStart(4, '0')}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}
