import { describe, expect, it } from 'vitest';
import { addDays, isTimeZone, localDayRange, localTime, parseLocalDate } from './days.js';

const H = 3_600_000;

describe('localDayRange', () => {
  it.each([
    { name: 'UTC', date: '2026-03-01', zone: 'UTC', from: '2026-03-01T00:00:00Z', hours: 24 },
    { name: 'Tokyo (+9)', date: '2026-03-01', zone: 'Asia/Tokyo', from: '2026-02-28T15:00:00Z', hours: 24 },
    { name: 'Kolkata (+5:30)', date: '2026-03-01', zone: 'Asia/Kolkata', from: '2026-02-28T18:30:00Z', hours: 24 },
    { name: 'Kathmandu (+5:45)', date: '2026-03-01', zone: 'Asia/Kathmandu', from: '2026-02-28T18:15:00Z', hours: 24 },
    {
      name: 'New York spring forward',
      date: '2026-03-08',
      zone: 'America/New_York',
      from: '2026-03-08T05:00:00Z',
      hours: 23,
    },
    {
      name: 'New York fall back',
      date: '2026-11-01',
      zone: 'America/New_York',
      from: '2026-11-01T04:00:00Z',
      hours: 25,
    },
    { name: 'Berlin fall back', date: '2026-10-25', zone: 'Europe/Berlin', from: '2026-10-24T22:00:00Z', hours: 25 },
    {
      name: 'Lord Howe half-hour DST',
      date: '2026-04-05',
      zone: 'Australia/Lord_Howe',
      from: '2026-04-04T13:00:00Z',
      hours: 24.5,
    },
  ])('$name', ({ date, zone, from, hours }) => {
    const range = localDayRange(date, zone);
    expect(new Date(range.from).toISOString()).toBe(new Date(from).toISOString());
    expect((range.to - range.from) / H).toBe(hours);
  });
});

describe('parseLocalDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-1', false],
    ['1969-12-31', false],
    ["2026-03-01' OR 1=1", false],
    ['', false],
  ])('%s → %s', (text, ok) => {
    expect(parseLocalDate(text).ok).toBe(ok);
  });
});

describe('helpers', () => {
  it('adds calendar days across months and leap years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('validates zones and prints local times', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(localTime(Date.UTC(2026, 2, 1, 5, 2), 'Asia/Tokyo')).toBe('14:02');
  });
});
