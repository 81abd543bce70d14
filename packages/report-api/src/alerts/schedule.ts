/**
 * Time-zone arithmetic for the daily report schedule, built on `Intl` only (no tz database of our
 * own). Local wall-clock times are turned into epoch ms with the zone's real UTC offset at that
 * instant, so daylight-saving changes are handled the way a person reading a clock expects.
 */
import { isTimeZone, localDateAt, parseReportTime } from '../time/days.js';

export { parseReportTime };

/** A site's report schedule. */
export interface ReportSchedule {
  /** IANA time zone of the site, e.g. `Asia/Tokyo`. */
  timeZone: string;
  /** Local wall-clock time `HH:MM` (24 h). Default used by the product: `17:00`. */
  reportTime: string;
  /** Monday to Friday only (true) or every day (false). */
  businessDaysOnly: boolean;
}

/** The wall-clock reading of an instant in a zone. `weekday` is 0 = Sunday .. 6 = Saturday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether `timeZone` is an IANA zone this runtime knows: the same check as `isTimeZone`
 * (kept under this name, which the alerts module exports).
 *
 * @example
 * isValidTimeZone('Europe/Berlin'); // true
 * isValidTimeZone('Mars/Olympus'); // false
 */
export function isValidTimeZone(timeZone: string): boolean {
  return isTimeZone(timeZone);
}

/**
 * The wall-clock reading of `epochMs` in `timeZone`.
 *
 * @example
 * zonedParts(Date.UTC(2026, 0, 1, 8), 'Asia/Tokyo'); // { year: 2026, month: 1, day: 1, hour: 17, ... weekday: 4 }
 */
export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

/** Offset of the zone from UTC at `epochMs`, in ms (e.g. +9 h for Tokyo). */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which clocks in `timeZone` read the given local date and minute of the day.
 * In a spring-forward gap (a time that does not exist) the clock is read as if the change had not
 * happened yet, which moves the instant forward by the gap (02:30 becomes 03:30). In a fall-back
 * overlap (a time that happens twice) the first occurrence is returned.
 *
 * @example
 * localTimeToEpoch({ year: 2026, month: 3, day: 8 }, 17 * 60, 'America/New_York'); // 2026-03-08T21:00Z
 */
export function localTimeToEpoch(
  date: { year: number; month: number; day: number },
  minuteOfDay: number,
  timeZone: string,
): number {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Offsets a few hours either side of the wall time cover every real DST rule; the candidate
  // instants they produce are checked against the clock, earliest match first.
  const offsets = new Set([
    offsetAt(wallAsUtc - 86_400_000 / 2, timeZone),
    offsetAt(wallAsUtc + 86_400_000 / 2, timeZone),
  ]);
  const candidates = [...offsets].map((offset) => wallAsUtc - offset).sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (candidate + offsetAt(candidate, timeZone) === wallAsUtc) return candidate;
  }
  // A gap: use the offset in force before the change (the larger instant moves past the gap).
  const before = offsetAt(wallAsUtc - 86_400_000 / 2, timeZone);
  return wallAsUtc - before;
}

/**
 * The local date `YYYY-MM-DD` of `epochMs` in `timeZone`.
 *
 * @example
 * localDate(Date.UTC(2026, 0, 1, 16), 'Asia/Tokyo'); // '2026-01-02'
 */
export function localDate(epochMs: number, timeZone: string): string {
  // One date helper for the package: the reports' cached date-only formatter is cheaper than zonedParts.
  return localDateAt(epochMs, timeZone);
}

/**
 * The first report time strictly after `now`: the next local `reportTime` in the site's zone,
 * skipping Saturdays and Sundays when `businessDaysOnly` is set. Correct across daylight-saving
 * changes because each candidate day is converted with that day's own offset.
 *
 * @example
 * nextReportTime({ timeZone: 'Asia/Tokyo', reportTime: '17:00', businessDaysOnly: true }, Date.UTC(2026, 0, 2, 9));
 * // Fri 2026-01-02 18:00 JST is past 17:00, so: Mon 2026-01-05 17:00 JST = Date.UTC(2026, 0, 5, 8)
 */
export function nextReportTime(schedule: ReportSchedule, now: number): number {
  const minuteOfDay = parseReportTime(schedule.reportTime);
  if (minuteOfDay === null)
    throw new TypeError(`reportTime must be HH:MM (24 h), got ${JSON.stringify(schedule.reportTime)}`);
  if (!isValidTimeZone(schedule.timeZone))
    throw new TypeError(`unknown time zone ${JSON.stringify(schedule.timeZone)}`);
  const today = zonedParts(now, schedule.timeZone);
  // Eight days always contain a business day after today, whatever the zone does.
  for (let dayOffset = 0; dayOffset <= 8; dayOffset++) {
    // Date.UTC normalises day overflow (Jan 32 -> Feb 1), which gives calendar arithmetic for free.
    const calendar = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const weekday = calendar.getUTCDay();
    if (schedule.businessDaysOnly && (weekday === 0 || weekday === 6)) continue;
    const date = { year: calendar.getUTCFullYear(), month: calendar.getUTCMonth() + 1, day: calendar.getUTCDate() };
    const fireAt = localTimeToEpoch(date, minuteOfDay, schedule.timeZone);
    if (fireAt > now) return fireAt;
  }
  throw new Error(`no report time found after ${new Date(now).toISOString()} in ${schedule.timeZone}`);
}
