/**
 * Site-local days: parsing and adding dates, the local day of an instant, a day as an epoch-ms range
 * (23 to 25 hours around DST changes). With `local-day.ts`, the one time module that storage,
 * reports, alerts and pages share.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A site-local day as epoch ms, `[from, to)`; 23, 24 or 25 hours long around DST changes. */
export interface DayRange {
  date: string;
  from: number;
  to: number;
}

/**
 * Parses `YYYY-MM-DD`, refusing impossible dates such as 2026-02-30. Returns the error message
 * otherwise.
 *
 * @example
 * parseLocalDate('2026-02-28'); // { ok: true, date: '2026-02-28' }
 * parseLocalDate('2026-02-30'); // { ok: false, message: '2026-02-30 is not a calendar date' }
 */
export function parseLocalDate(text: string): { ok: true; date: string } | { ok: false; message: string } {
  const match = DATE.exec(text);
  if (!match) return { ok: false, message: `date must be YYYY-MM-DD, got ${JSON.stringify(text.slice(0, 40))}` };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    return { ok: false, message: `${text} is not a calendar date` };
  }
  return { ok: true, date: text };
}

/**
 * Adds whole calendar days to a `YYYY-MM-DD` date.
 *
 * @example
 * addDays('2026-03-01', -1); // '2026-02-28'
 */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** One Intl formatter per time zone, built on first use: building one costs far more than formatting. */
function perZone(locale: string, options: Intl.DateTimeFormatOptions): (timeZone: string) => Intl.DateTimeFormat {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formats.get(timeZone);
    if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
    return format;
  };
}

// en-CA writes dates as YYYY-MM-DD; en-GB with h23 writes HH:MM.
const dateFormat = perZone('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = perZone('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * The site-local date of an instant, `YYYY-MM-DD`.
 *
 * @example
 * localDateAt(Date.parse('2026-03-01T15:00:00Z'), 'Asia/Tokyo'); // '2026-03-02'
 */
export function localDateAt(epochMs: number, timeZone: string): string {
  return dateFormat(timeZone).format(epochMs);
}

/** First minute whose local date is `date` or later (binary search: local dates only move forward). */
function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const noonUtc = Date.UTC(y, m - 1, d, 12);
  // Every zone's offset is within ±14 h, so local midnight lies within 27 h before UTC noon of that date.
  let low = Math.floor((noonUtc - 27 * HOUR) / MINUTE);
  let high = Math.floor((noonUtc + 15 * HOUR) / MINUTE);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (localDateAt(mid * MINUTE, timeZone) >= date) high = mid;
    else low = mid + 1;
  }
  return low * MINUTE;
}

/**
 * The local day `date` in `timeZone` as epoch ms. Where midnight does not exist (a DST jump at
 * 00:00) the day starts at the first local instant of that date.
 *
 * @example
 * localDayRange('2026-03-08', 'America/New_York'); // 23 hours: to - from === 82_800_000
 */
export function localDayRange(date: string, timeZone: string): DayRange {
  return { date, from: startOfLocalDay(date, timeZone), to: startOfLocalDay(addDays(date, 1), timeZone) };
}

/**
 * Validates an IANA time-zone name with Intl.
 *
 * @example
 * isTimeZone('Asia/Tokyo'); // true
 * isTimeZone('Mars/Olympus'); // false
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

/**
 * Local wall-clock `HH:MM` of an instant, for report text.
 *
 * @example
 * localTime(Date.parse('2026-03-01T05:02:00Z'), 'Asia/Tokyo'); // '14:02'
 */
export function localTime(epochMs: number, timeZone: string): string {
  return timeFormat(timeZone).format(epochMs);
}

/**
 * Parses `HH:MM` (24 h) into minutes after midnight, or returns null when it is not a valid time.
 *
 * @example
 * parseReportTime('17:00'); // 1020
 * parseReportTime('25:00'); // null
 */
export function parseReportTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}
