import { describe, expect, it } from 'vitest';
import { demoDays } from './plan.js';

describe('demoDays', () => {
  it.each([
    // [now (UTC), main date, previous date, main ends at]
    [
      'afternoon in Tokyo: today up to now',
      '2026-11-27T05:00:00Z',
      '2026-11-27',
      '2026-11-26',
      '2026-11-27T05:00:00.000Z',
    ],
    [
      '06:00 in Tokyo: today is long enough',
      '2026-11-26T21:00:00Z',
      '2026-11-27',
      '2026-11-26',
      '2026-11-26T21:00:00.000Z',
    ],
    [
      '01:00 in Tokyo: yesterday in full',
      '2026-11-26T16:00:00Z',
      '2026-11-26',
      '2026-11-25',
      '2026-11-26T15:00:00.000Z',
    ],
    [
      'first of the month, early: back across the month end',
      '2026-11-30T16:30:00Z',
      '2026-11-30',
      '2026-11-29',
      '2026-11-30T15:00:00.000Z',
    ],
  ])('%s', (_name, now, main, previous, mainEnd) => {
    const days = demoDays(Date.parse(now), 'Asia/Tokyo');
    expect(days.main.date).toBe(main);
    expect(days.previous.date).toBe(previous);
    expect(new Date(days.mainEnd).toISOString()).toBe(mainEnd);
    expect(days.previous.to).toBe(days.main.from);
  });
});
