import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorBucket } from '../db/store.js';
import { burstReadRange, burstThresholds, findBursts, liveBaselineFrom, liveBurstThreshold } from './bursts.js';

const S = 5_000;
/** Buckets from `[seconds, errors]` pairs. */
const b = (...pairs: Array<[number, number]>): ErrorBucket[] =>
  pairs.map(([seconds, errors]) => ({ start: seconds * 1000, errors }));
const over100 = (errors: number) => errors > 100;
const seconds = (bursts: ReturnType<typeof findBursts>) =>
  bursts.map((x) => [x.start / 1000, x.end / 1000, x.errors, x.peakStart / 1000]);

describe('findBursts: more than 100 in any six consecutive 5-s buckets', () => {
  it.each([
    ['nothing', b(), []],
    ['75 + 75 on both sides of a 30-s boundary', b([25, 75], [30, 75]), [[25, 35, 150, 25]]],
    ['101 in one bucket', b([40, 101]), [[40, 45, 101, 40]]],
    ['100 is not more than 100', b([40, 100]), []],
    ['101 over six buckets (25 s)', b([0, 20], [5, 20], [10, 20], [15, 20], [20, 20], [25, 1]), [[0, 30, 101, 0]]],
    [
      '101 over seven buckets (30 s) is two windows of less',
      b([0, 1], [5, 20], [10, 20], [15, 20], [20, 20], [25, 19], [30, 1]),
      [],
    ],
    ['errors of an hour before do not count', b([0, 100], [3_600, 1]), []],
    ['spikes 30 s apart have overlapping windows: one burst', b([0, 101], [30, 101]), [[0, 35, 101, 0]]],
    [
      'spikes 55 s apart are two bursts',
      b([0, 101], [55, 101]),
      [
        [0, 5, 101, 0],
        [55, 60, 101, 55],
      ],
    ],
    ['two bursts 25 s apart overlap: one', b([0, 101], [25, 101]), [[0, 30, 202, 0]]],
    [
      'a long run is one burst, trimmed to its errors, with its worst 30 s',
      b([0, 20], [5, 20], [10, 20], [15, 20], [20, 20], [25, 20], [30, 60], [35, 20], [40, 20]),
      [[0, 45, 160, 5]],
    ],
    ['quiet buckets around a burst are not in it', b([0, 1], [100, 150], [200, 1]), [[100, 105, 150, 100]]],
    [
      'steady background errors do not stretch its edges',
      b(...Array.from({ length: 20 }, (_, i): [number, number] => [i * 5, i === 10 ? 150 : 3])),
      [[50, 55, 165, 25]],
    ],
  ])('%s', (_, buckets, expected) => {
    expect(seconds(findBursts(buckets, over100))).toEqual(expected);
  });

  it('keeps the reach of its windows, where the IPs behind it are looked up', () => {
    const steady = b(...Array.from({ length: 20 }, (_, i): [number, number] => [i * 5, i === 10 ? 150 : 3]));
    expect(findBursts(steady, over100).map((x) => [x.windowsStart / 1000, x.windowsEnd / 1000])).toEqual([[25, 80]]);
  });

  it('is the brute force over every 5-s-aligned 30 s, merged where windows overlap', () => {
    const bucketsArb = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 80 })), {
        selector: ([i]) => i,
        maxLength: 30,
      })
      .map((pairs) => pairs.sort((x, y) => x[0] - y[0]).map(([i, errors]) => ({ start: i * S, errors })));
    fc.assert(
      fc.property(bucketsArb, (buckets) => {
        const errorsAt = new Map(buckets.map((x) => [x.start, x.errors]));
        const windows: Array<{ s: number; sum: number }> = [];
        for (let s = -6 * S; s <= 61 * S; s += S) {
          let sum = 0;
          for (let i = 0; i < 6; i++) sum += errorsAt.get(s + i * S) ?? 0;
          if (sum > 100) windows.push({ s, sum });
        }
        const found = findBursts(buckets, over100);
        // Every window over the threshold is inside exactly one burst, and no burst's peak is more than its best
        // window.
        for (const w of windows) {
          const inside = found.filter((x) => x.start < w.s + 6 * S && x.end > w.s);
          expect(inside).toHaveLength(1);
          expect(inside[0]!.errors).toBeGreaterThanOrEqual(w.sum);
        }
        expect(found.map((x) => x.errors).sort()).toEqual(
          found
            .map((x) => Math.max(...windows.filter((w) => w.s < x.end && w.s + 6 * S > x.start).map((w) => w.sum)))
            .sort(),
        );
        expect(found.length > 0).toBe(windows.length > 0);
      }),
    );
  });
});

describe('burstReadRange', () => {
  it('reaches 25 s on both sides, so windows across the range edges are whole', () => {
    expect(burstReadRange(100_000, 200_000)).toEqual({ from: 75_000, to: 225_000 });
  });
});

describe('burstThresholds', () => {
  const Q = 900_000;
  const day = 100 * 86_400_000;
  const quarter = (i: number, errors: number) => ({
    start: day + i * Q,
    requests: errors,
    blocked: 0,
    counted: 0,
    s1xx: 0,
    s2xx: 0,
    s3xx: 0,
    s4xx: errors,
    s5xx: 0,
    probes: 0,
    scanner: 0,
  });
  const range = { from: day, to: day + 86_400_000, absolute: 100, factor: 3 };

  it('is the absolute threshold on a quiet site', () => {
    const { over, highest } = burstThresholds([quarter(40, 90)], range);
    expect(over(day + 40 * Q)).toBe(100);
    expect(highest).toBe(100);
  });

  it('is 3 times the median quarter within two hours either side, over 30 windows', () => {
    // 6,000 errors a quarter all day: 200 in a typical 30 s.
    const busy = Array.from({ length: 96 + 16 }, (_, i) => quarter(i - 8, 6_000));
    const { over, highest } = burstThresholds(busy, range);
    expect(over(day + 40 * Q + 5_000)).toBe(600);
    expect(highest).toBe(600);
    // One quarter of 60,000 (an attack) does not raise its own threshold: the median of 17 quarters.
    busy[48] = quarter(40, 60_000);
    expect(burstThresholds(busy, range).over(day + 40 * Q)).toBe(600);
  });

  it('follows the hours around a window: a quiet night, or quarters without rows, lower it', () => {
    const evening = Array.from({ length: 40 }, (_, i) => quarter(56 + i, 6_000)); // 14:00 to midnight
    const { over } = burstThresholds(evening, range);
    expect(over(day + 3 * 3_600_000)).toBe(100); // 03:00: nothing within two hours
    expect(over(day + 20 * 3_600_000)).toBe(600);
    // 12:45: of the quarters 10:45..14:45, 4 have rows: the median is 0.
    expect(over(day + 51 * Q)).toBe(100);
  });

  it('takes the higher threshold of the two quarters a window straddles', () => {
    const evening = Array.from({ length: 40 }, (_, i) => quarter(56 + i, 6_000)); // from 14:00
    const { over } = burstThresholds(evening, range);
    // 13:45 has 8 busy quarters of 17 around it (median 0), 14:00 has 9 (median 6,000).
    expect(over(day + 55 * Q)).toBe(100);
    expect(over(day + 56 * Q)).toBe(600);
    // 13:59:45 to 14:00:15 straddles both: the higher.
    expect(over(day + 56 * Q - 15_000)).toBe(600);
  });
});

describe('liveBurstThreshold: the two hours before, as the alert monitor sees them', () => {
  const Q = 900_000;
  const day = 100 * 86_400_000;
  const quarter = (i: number, errors: number) => ({
    ...{ start: day + i * Q, requests: errors, blocked: 0, counted: 0, s1xx: 0, s2xx: 0, s3xx: 0 },
    ...{ s4xx: errors, s5xx: 0, probes: 0, scanner: 0 },
  });
  const options = { absolute: 100, factor: 3 };

  it('is the absolute threshold on a quiet site, and reads the 8 quarters before the current one', () => {
    const at = day + 40 * Q + 123_000;
    expect(liveBurstThreshold([], { at, ...options })).toBe(100);
    expect(liveBaselineFrom(at)).toBe(day + 32 * Q);
  });

  it('is 3 times the median of the 8 quarters before; the current quarter and one attack do not count', () => {
    const busy = Array.from({ length: 9 }, (_, i) => quarter(32 + i, 6_000)); // 200 in a typical 30 s
    const at = day + 40 * Q + 60_000;
    expect(liveBurstThreshold(busy, { at, ...options })).toBe(600);
    busy[8] = quarter(40, 600_000); // the current quarter, under attack
    busy[7] = quarter(39, 600_000); // and the one before
    busy[6] = quarter(38, 600_000); // and the one before that: 45 minutes of attack
    expect(liveBurstThreshold(busy, { at, ...options })).toBe(600);
  });

  it('falls back as the hours before empty: half of them without errors sets it to the quiet ones', () => {
    const evening = Array.from({ length: 4 }, (_, i) => quarter(36 + i, 6_000)); // the last hour only
    expect(liveBurstThreshold(evening, { at: day + 40 * Q, ...options })).toBe(600);
    expect(liveBurstThreshold(evening.slice(1), { at: day + 40 * Q, ...options })).toBe(100);
  });

  it('ignores the baseline with factor 0, and never goes below the absolute threshold', () => {
    const busy = Array.from({ length: 8 }, (_, i) => quarter(32 + i, 60_000));
    expect(liveBurstThreshold(busy, { at: day + 40 * Q, absolute: 100, factor: 0 })).toBe(100);
    expect(liveBurstThreshold(busy, { at: day + 40 * Q, absolute: 10_000, factor: 3 })).toBe(10_000);
  });
});
