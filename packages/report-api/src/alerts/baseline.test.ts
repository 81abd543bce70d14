import { describe, expect, it } from 'vitest';
import { baselineTest, type HourSample } from './baseline.js';

/** Deterministic noise in [-1, 1) (a small LCG), so the weekly pattern is realistic but repeatable. */
function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state / 2_147_483_648) * 2 - 1;
  };
}

/**
 * A site with a strong weekly pattern at 09:00 local: ~1,000 requests on business days (Mondays a
 * little higher), ~300 on weekends, ±15% noise by default. `history(day)` is the 14 days before `day`.
 */
function weeklySite(seed = 7, amplitude = 0.15) {
  const next = noise(seed);
  const byDay: HourSample[] = [];
  for (let day = 0; day < 70; day++) {
    const weekday = day % 7; // day 0 is a Monday
    const businessDay = weekday < 5;
    const base = weekday === 0 ? 1200 : businessDay ? 1000 : 300;
    byDay.push({ requests: Math.round(base * (1 + amplitude * next())), businessDay });
  }
  return { byDay, history: (day: number) => byDay.slice(day - 14, day).reverse() };
}

describe('baselineTest', () => {
  it('does not fire on any day of a normal weekly pattern (weekends, Monday mornings)', () => {
    const verdicts = [];
    for (const seed of [1, 7, 42, 1234, 99_999]) {
      const site = weeklySite(seed);
      for (let day = 14; day < 70; day++) verdicts.push(baselineTest(site.byDay[day]!, site.history(day)).status);
    }
    expect(verdicts.filter((status) => status !== 'normal')).toEqual([]);
    expect(verdicts).toHaveLength(5 * 56);
  });

  it('fires on a real spike and a real drop on a business day', () => {
    const site = weeklySite();
    const tuesday = 15;
    expect(baselineTest({ requests: 5000, businessDay: true }, site.history(tuesday))).toMatchObject({
      status: 'spike',
      compared: 'same-kind',
    });
    expect(baselineTest({ requests: 90, businessDay: true }, site.history(tuesday)).status).toBe('drop');
  });

  it('fires on a weekend spike that would look normal next to business days', () => {
    const site = weeklySite();
    const saturday = 19;
    const result = baselineTest({ requests: 2000, businessDay: false }, site.history(saturday));
    expect(result.status).toBe('spike');
    expect(result.expected).toBeLessThan(400);
  });

  it('shows why the same-kind pool matters: pooling all days would alert every steady weekend', () => {
    const site = weeklySite(7, 0.05);
    const saturday = 19;
    const history = site.history(saturday);
    // Pretend every day is a business day: the weekend is then compared with weekdays.
    const naive = baselineTest(
      { ...site.byDay[saturday]!, businessDay: true },
      history.map((h) => ({ ...h, businessDay: true })),
    );
    expect(naive.status).toBe('drop');
    expect(baselineTest(site.byDay[saturday]!, history).status).toBe('normal');
  });

  it.each([
    ['too few days of history', 5, 1000, 'insufficient-history'],
    ['a quiet site: 3 vs 9 requests is noise', 14, 9, 'low-volume'],
  ] as const)('%s', (_name, days, requests, status) => {
    const history = Array.from({ length: days }, () => ({ requests: 3, businessDay: true }));
    expect(baselineTest({ requests, businessDay: true }, history).status).toBe(
      status === 'low-volume' ? 'low-volume' : status,
    );
  });

  it('does not alert on +30% over a perfectly flat history, but does on +100%', () => {
    const flat = Array.from({ length: 14 }, () => ({ requests: 10_000, businessDay: true }));
    expect(baselineTest({ requests: 13_000, businessDay: true }, flat).status).toBe('normal');
    expect(baselineTest({ requests: 20_000, businessDay: true }, flat).status).toBe('spike');
  });

  it('falls back to all days when there are too few of the same kind', () => {
    const history = Array.from({ length: 8 }, () => ({ requests: 1000, businessDay: true }));
    const result = baselineTest({ requests: 1000, businessDay: false }, history);
    expect(result).toMatchObject({ status: 'normal', compared: 'all', days: 8 });
  });
});
