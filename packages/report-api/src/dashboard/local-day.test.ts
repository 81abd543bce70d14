import { describe, expect, it } from 'vitest';
import { localDate, localDayRange } from './local-day.js';

describe('localDayRange', () => {
  it.each([
    ['Tokyo, no DST', '2026-11-26', 'Asia/Tokyo', '2026-11-25T15:00:00.000Z', 24],
    ['UTC', '2026-11-26', 'UTC', '2026-11-26T00:00:00.000Z', 24],
    ['New York, spring forward (23 h)', '2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', 23],
    ['New York, fall back (25 h)', '2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z', 25],
    ['Kolkata, half-hour offset', '2026-11-26', 'Asia/Kolkata', '2026-11-25T18:30:00.000Z', 24],
  ])('%s', (_name, date, zone, from, hours) => {
    const range = localDayRange(date, zone);
    expect(new Date(range.from).toISOString()).toBe(from);
    expect((range.to - range.from) / 3_600_000).toBe(hours);
  });
});

describe('localDate', () => {
  it('crosses the date line with the zone, not with UTC', () => {
    expect(localDate(Date.parse('2026-11-26T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-27');
    expect(localDate(Date.parse('2026-11-26T16:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-26');
  });
});
