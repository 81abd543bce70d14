import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it.each([
    [1, 0, 250],
    [1, 1, 500],
    [2, 0, 500],
    [3, 1, 2_000],
    [7, 1, 30_000],
    [50, 0, 15_000],
  ])('attempt %i with random %d waits %i ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, { baseMs: 500, maxMs: 30_000, random: () => r })).toBe(expected);
  });

  it('jitters between half and all of the ceiling', () => {
    const delays = new Set(
      Array.from({ length: 50 }, (_, i) => backoffDelay(4, { baseMs: 100, maxMs: 10_000, random: () => i / 50 })),
    );
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d >= 400 && d <= 800).toBe(true);
  });
});
