import { describe, expect, it } from 'vitest';
import { localDate, localDayRange, previousDate } from './days.js';

describe('local days', () => {
  it.each([
    ['Tokyo, no daylight saving', '2026-11-27', 'Asia/Tokyo', '2026-11-26T15:00:00.000Z', 24],
    ['UTC', '2026-11-27', 'UTC', '2026-11-27T00:00:00.000Z', 24],
    ['New York, spring forward', '2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', 23],
    ['New York, fall back', '2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z', 25],
  ])('%s', (_name, date, timeZone, start, hours) => {
    const range = localDayRange(date, timeZone);
    expect(new Date(range.from).toISOString()).toBe(start);
    expect((range.to - range.from) / 3_600_000).toBe(hours);
    expect(localDate(range.from, timeZone)).toBe(date);
    expect(localDate(range.to - 1, timeZone)).toBe(date);
  });

  it('steps back over month and year ends', () => {
    expect(previousDate('2026-03-01')).toBe('2026-02-28');
    expect(previousDate('2027-01-01')).toBe('2026-12-31');
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => localDayRange('27/11/2026', 'UTC')).toThrow(TypeError);
  });
});
