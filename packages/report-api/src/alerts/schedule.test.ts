import { describe, expect, it } from 'vitest';
import { localDate, localTimeToEpoch, nextReportTime, parseReportTime, zonedParts } from './schedule.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('parseReportTime', () => {
  it.each([
    ['17:00', 1020],
    ['00:00', 0],
    ['23:59', 1439],
    ['24:00', null],
    ['7:00', null],
    ['17:60', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(parseReportTime(input)).toBe(expected);
  });
});

describe('localTimeToEpoch', () => {
  it.each([
    ['Tokyo, no DST', 'Asia/Tokyo', [2026, 3, 8], '17:00', '2026-03-08T08:00:00.000Z'],
    [
      'New York, day before spring-forward (EST)',
      'America/New_York',
      [2026, 3, 7],
      '17:00',
      '2026-03-07T22:00:00.000Z',
    ],
    ['New York, spring-forward day (EDT)', 'America/New_York', [2026, 3, 8], '17:00', '2026-03-08T21:00:00.000Z'],
    ['New York, fall-back day (EST)', 'America/New_York', [2026, 11, 1], '17:00', '2026-11-01T22:00:00.000Z'],
    [
      'New York, 02:30 in the spring gap moves to 03:30 EDT',
      'America/New_York',
      [2026, 3, 8],
      '02:30',
      '2026-03-08T07:30:00.000Z',
    ],
    [
      'New York, 01:30 in the fall overlap is the first one (EDT)',
      'America/New_York',
      [2026, 11, 1],
      '01:30',
      '2026-11-01T05:30:00.000Z',
    ],
    ['Berlin, spring-forward day (CEST)', 'Europe/Berlin', [2026, 3, 29], '17:00', '2026-03-29T15:00:00.000Z'],
    ['Berlin, fall-back day (CET)', 'Europe/Berlin', [2026, 10, 25], '17:00', '2026-10-25T16:00:00.000Z'],
    ['Berlin, 02:30 in the spring gap', 'Europe/Berlin', [2026, 3, 29], '02:30', '2026-03-29T01:30:00.000Z'],
  ] as const)('%s', (_name, zone, [year, month, day], time, expected) => {
    const minute = parseReportTime(time)!;
    expect(iso(localTimeToEpoch({ year, month, day }, minute, zone))).toBe(expected);
  });
});

describe('zonedParts and localDate', () => {
  it('reads Tokyo wall time and weekday', () => {
    const p = zonedParts(at('2026-01-01T08:00:00Z'), 'Asia/Tokyo');
    expect(p).toMatchObject({ year: 2026, month: 1, day: 1, hour: 17, minute: 0, weekday: 4 });
  });
  it('crosses midnight into the next local day', () => {
    expect(localDate(at('2026-01-01T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-01-02');
    expect(localDate(at('2026-01-01T04:00:00Z'), 'America/New_York')).toBe('2025-12-31');
  });
});

describe('nextReportTime', () => {
  const tokyo = { timeZone: 'Asia/Tokyo', reportTime: '17:00', businessDaysOnly: true };
  const newYork = { timeZone: 'America/New_York', reportTime: '17:00', businessDaysOnly: false };
  const newYorkBusiness = { ...newYork, businessDaysOnly: true };

  it.each([
    ['Tokyo, Friday morning -> Friday 17:00', tokyo, '2026-01-02T00:00:00Z', '2026-01-02T08:00:00.000Z'],
    [
      'Tokyo, Friday 17:00 exactly -> Monday (strictly after now)',
      tokyo,
      '2026-01-02T08:00:00Z',
      '2026-01-05T08:00:00.000Z',
    ],
    ['Tokyo, Saturday -> Monday', tokyo, '2026-01-03T03:00:00Z', '2026-01-05T08:00:00.000Z'],
    [
      'Tokyo every day, Saturday -> Saturday',
      { ...tokyo, businessDaysOnly: false },
      '2026-01-03T03:00:00Z',
      '2026-01-03T08:00:00.000Z',
    ],
    [
      'New York, Saturday before spring-forward -> Sunday 17:00 EDT',
      newYork,
      '2026-03-07T23:00:00Z',
      '2026-03-08T21:00:00.000Z',
    ],
    [
      'New York, spring-forward morning -> same day 17:00 EDT',
      newYork,
      '2026-03-08T12:00:00Z',
      '2026-03-08T21:00:00.000Z',
    ],
    ['New York, fall-back morning -> same day 17:00 EST', newYork, '2026-11-01T12:00:00Z', '2026-11-01T22:00:00.000Z'],
    [
      'New York, fall-back 16:30 EST -> 17:00 EST (not 1 h early)',
      newYork,
      '2026-11-01T21:30:00Z',
      '2026-11-01T22:00:00.000Z',
    ],
    [
      'New York business days, fall-back Sunday -> Monday 17:00 EST',
      newYorkBusiness,
      '2026-11-01T12:00:00Z',
      '2026-11-02T22:00:00.000Z',
    ],
    [
      'New York, Friday 23:30 local (Sat UTC) -> Monday',
      newYorkBusiness,
      '2026-01-10T04:30:00Z',
      '2026-01-12T22:00:00.000Z',
    ],
    [
      'Berlin, spring-forward day',
      { timeZone: 'Europe/Berlin', reportTime: '17:00', businessDaysOnly: false },
      '2026-03-29T00:30:00Z',
      '2026-03-29T15:00:00.000Z',
    ],
    ['Tokyo, year end', tokyo, '2026-12-31T09:00:00Z', '2027-01-01T08:00:00.000Z'],
  ] as const)('%s', (_name, schedule, now, expected) => {
    expect(iso(nextReportTime(schedule, at(now)))).toBe(expected);
  });

  it('fires on every local 17:00 of a business week across the New York spring change', () => {
    const fires: string[] = [];
    let now = at('2026-03-05T12:00:00Z');
    for (let i = 0; i < 6; i++) {
      now = nextReportTime(newYorkBusiness, now);
      const p = zonedParts(now, 'America/New_York');
      fires.push(`${localDate(now, 'America/New_York')} ${p.hour}:${String(p.minute).padStart(2, '0')}`);
    }
    expect(fires).toEqual([
      '2026-03-05 17:00',
      '2026-03-06 17:00',
      '2026-03-09 17:00',
      '2026-03-10 17:00',
      '2026-03-11 17:00',
      '2026-03-12 17:00',
    ]);
  });

  it('rejects a bad time or zone with a TypeError that names it', () => {
    expect(() => nextReportTime({ ...tokyo, reportTime: '5pm' }, 0)).toThrow(/5pm/);
    expect(() => nextReportTime({ ...tokyo, timeZone: 'Mars/Base' }, 0)).toThrow(/Mars\/Base/);
  });
});
