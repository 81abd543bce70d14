import type { Site, Store } from '../db/store.js';
import type { HourSample } from './baseline.js';
import { localTimeToEpoch, zonedParts } from './schedule.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Start of the local hour that contains `epochMs` (local hours differ from UTC hours in zones such as
 * Asia/Kolkata, +05:30).
 *
 * @example
 * localHourStart(Date.parse('2026-03-01T10:47:12Z'), 'Asia/Kolkata'); // Date.parse('2026-03-01T10:30:00Z')
 */
export function localHourStart(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  return epochMs - (p.minute * 60_000 + p.second * 1000 + (((epochMs % 1000) + 1000) % 1000));
}

/** One hour of a site and the same local hour on each previous day that has data. */
export interface HourWithHistory {
  current: HourSample & { start: number; end: number };
  history: Array<HourSample & { start: number }>;
}

/**
 * Reads the request counts of the local hour `[hourStart, end)` and of the same local hour on the
 * previous `days` days from the quarter-hour rollups. Days before the first bucket of the site in
 * that range are left out (a new site has no history, not a history of zeros); later days without
 * buckets count as zero requests.
 *
 * @example
 * const { current, history } = await sameHourHistory(store, site, hourStart, Date.now(), 14);
 */
export async function sameHourHistory(
  store: Pick<Store, 'trafficBuckets'>,
  site: Site,
  hourStart: number,
  end: number,
  days: number,
): Promise<HourWithHistory> {
  const buckets = await store.trafficBuckets(site.id, hourStart - (days + 1) * DAY, end);
  const firstBucket = buckets[0]?.start ?? Number.POSITIVE_INFINITY;
  // Counts are sample-weighted sums; whole requests, as in the reports.
  const requestsIn = (from: number, to: number) =>
    Math.round(
      buckets.reduce(
        (total, bucket) => (bucket.start >= from && bucket.start < to ? total + bucket.requests : total),
        0,
      ),
    );
  const p = zonedParts(hourStart, site.timeZone);
  const minuteOfDay = p.hour * 60 + p.minute;
  const history: HourWithHistory['history'] = [];
  for (let back = 1; back <= days; back++) {
    const calendar = new Date(Date.UTC(p.year, p.month - 1, p.day - back));
    const start = localTimeToEpoch(
      { year: calendar.getUTCFullYear(), month: calendar.getUTCMonth() + 1, day: calendar.getUTCDate() },
      minuteOfDay,
      site.timeZone,
    );
    if (start + HOUR <= firstBucket) continue;
    history.push({
      start,
      requests: requestsIn(start, start + HOUR),
      businessDay: isBusinessDay(calendar.getUTCDay()),
    });
  }
  return {
    current: { start: hourStart, end, requests: requestsIn(hourStart, end), businessDay: isBusinessDay(p.weekday) },
    history,
  };
}

const isBusinessDay = (weekday: number) => weekday >= 1 && weekday <= 5;
