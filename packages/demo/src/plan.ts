import { addDays, localDateAt, localDayRange, type DayRange } from '@watchpost/report-api';

/** The days the demo plays. */
export interface DemoDays {
  /** The day to open in the dashboard. */
  main: DayRange;
  /** Where the main day's traffic stops: now for today, the end of the day for yesterday. */
  mainEnd: number;
  /** The day before the main day, played in full (smaller) so the comparison has data. */
  previous: DayRange;
}

const HOUR = 3_600_000;

/**
 * Chooses the days to play: today up to now, with yesterday before it; but before 06:00 local
 * time today is too short to show a day's shape, so yesterday and the day before.
 * Nothing is played in the future, so the report API never sees events from later than now.
 *
 * @example
 * demoDays(Date.parse('2026-11-27T05:00:00Z'), 'Asia/Tokyo').main.date; // '2026-11-27' (14:00 in Tokyo)
 */
export function demoDays(now: number, timeZone: string): DemoDays {
  const today = localDayRange(localDateAt(now, timeZone), timeZone);
  const main = now - today.from >= 6 * HOUR ? today : localDayRange(addDays(today.date, -1), timeZone);
  return { main, mainEnd: Math.min(now, main.to), previous: localDayRange(addDays(main.date, -1), timeZone) };
}
