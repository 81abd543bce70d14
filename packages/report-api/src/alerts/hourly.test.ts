import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { Site, Store } from '../db/store.js';
import { createAlertMonitor } from './detect.js';
import { localHourStart, sameHourHistory } from './hourly.js';
import type { AlertNotice } from './incident.js';
import { localTimeToEpoch } from './schedule.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-hourly-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
let batch = 0;

/** Requests per local hour of a site with office-hours traffic: busy weekdays, quiet weekends, ±10% noise. */
function weeklyPattern(weekday: number, hour: number, day: number): number {
  const office = hour >= 9 && hour < 18;
  const weekend = weekday === 0 || weekday === 6;
  const base = weekend ? (office ? 150 : 60) : office ? 1000 : 200;
  return Math.round(base * (1 + 0.1 * Math.sin(day * 7.3 + hour * 1.7)));
}

/**
 * Ingests `days` days of traffic ending before local date `end` (and the hours of `end` before
 * `untilHour`), one event per hour whose sample rate makes it count as the pattern's requests.
 */
async function ingestHistory(
  site: Site,
  end: { year: number; month: number; day: number },
  days: number,
  untilHour: number,
  pattern = weeklyPattern,
) {
  const events: WatchpostEvent[] = [];
  for (let back = days; back >= 0; back--) {
    const calendar = new Date(Date.UTC(end.year, end.month - 1, end.day - back));
    const date = { year: calendar.getUTCFullYear(), month: calendar.getUTCMonth() + 1, day: calendar.getUTCDate() };
    for (let hour = 0; hour < 24; hour++) {
      if (back === 0 && hour >= untilHour) break;
      const requests = pattern(calendar.getUTCDay(), hour, back);
      events.push({
        ts: localTimeToEpoch(date, hour * 60 + 10, site.timeZone),
        ip: '203.0.113.1',
        country: 'JP',
        method: 'GET',
        host: 'h',
        path: '/',
        status: 200,
        latencyMs: 1,
        ua: 'Mozilla/5.0',
        action: 'allow',
        rule: null,
        botCategory: null,
        sampleRate: 1 / requests,
      });
    }
  }
  await store.ingestBatch(site.id, { batchId: `hist-${String(++batch).padStart(6, '0')}`, source: 'import', events });
}

async function baselineNotices(site: Site, at: number): Promise<AlertNotice[]> {
  const monitor = createAlertMonitor({ store, now: () => at, notify: () => {} });
  return (await monitor.tick()).filter((notice) => notice.kind === 'baseline');
}

describe('localHourStart', () => {
  it.each([
    ['Tokyo', 'Asia/Tokyo', '2026-03-01T10:47:12.345Z', '2026-03-01T10:00:00.000Z'],
    ['Kolkata, +05:30', 'Asia/Kolkata', '2026-03-01T10:47:12Z', '2026-03-01T10:30:00.000Z'],
    ['Kathmandu, +05:45', 'Asia/Kathmandu', '2026-03-01T10:47:12Z', '2026-03-01T10:15:00.000Z'],
  ])('%s', (_name, zone, now, expected) => {
    expect(new Date(localHourStart(Date.parse(now), zone)).toISOString()).toBe(expected);
  });
});

describe('baseline alerts from the quarter-hour rollups', () => {
  it('reads the same local hour on previous days, skipping days before the site had data', async () => {
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    await ingestHistory(site, { year: 2026, month: 3, day: 3 }, 5, 15);
    const hourStart = Date.parse('2026-03-03T05:00:00Z'); // 14:00 JST, Tuesday
    const { current, history } = await sameHourHistory(store, site, hourStart, hourStart + HOUR, 14);
    expect(history).toHaveLength(5);
    expect(current).toMatchObject({ requests: weeklyPattern(2, 14, 0), businessDay: true });
    expect(history[0]).toMatchObject({
      start: hourStart - 86_400_000,
      requests: weeklyPattern(1, 14, 1),
      businessDay: true,
    });
    expect(history.filter((h) => !h.businessDay)).toHaveLength(2);
  });

  it('stays quiet on a normal Monday morning after a quiet weekend, and on the weekend itself', async () => {
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    await ingestHistory(site, { year: 2026, month: 3, day: 2 }, 21, 10); // Monday 2026-03-02, up to 10:00 JST
    expect(await baselineNotices(site, Date.parse('2026-03-02T01:01:00Z'))).toEqual([]); // Mon 10:01 JST
    expect(await baselineNotices(site, Date.parse('2026-03-01T01:01:00Z'))).toEqual([]); // Sun 10:01 JST
  });

  it('fires on a real spike, in the hour it happens, and resolves when traffic is back to normal', async () => {
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    const spike = (weekday: number, hour: number, day: number) =>
      day === 0 && hour === 14 ? 6000 : weeklyPattern(weekday, hour, day);
    await ingestHistory(site, { year: 2026, month: 3, day: 3 }, 21, 16, spike);
    let clock = Date.parse('2026-03-03T05:40:00Z'); // 14:40 JST, the spike hour is still in progress
    const monitor = createAlertMonitor({ store, notify: () => {}, now: () => clock });
    const [alert] = await monitor.tick();
    expect(alert).toMatchObject({ kind: 'baseline', state: 'alert' });
    expect(alert!.title).toMatch(/^Traffic spike: 6,000 requests in 05:00–05:40 UTC, usually (9\d\d|1,0\d\d)$/);
    expect(alert!.lines[0]).toMatch(/same hour on 10 previous business days/);
    clock = Date.parse('2026-03-03T06:01:00Z'); // 15:01: 14:00–15:00 is complete and still a spike
    expect(await monitor.tick()).toEqual([]);
    clock = Date.parse('2026-03-03T07:01:00Z'); // 16:01: 15:00–16:00 was normal
    expect((await monitor.tick()).map((n) => n.state)).toEqual(['resolved']);
  });

  it('does not judge a site with too little history', async () => {
    const { site } = await store.createSite({ name: 'new', timeZone: 'Europe/Berlin', homeCountry: 'DE' });
    await ingestHistory(site, { year: 2026, month: 3, day: 3 }, 3, 16, (w, h, d) =>
      d === 0 ? 50_000 : weeklyPattern(w, h, d),
    );
    expect(await baselineNotices(site, Date.parse('2026-03-03T14:01:00Z'))).toEqual([]);
  });
});
