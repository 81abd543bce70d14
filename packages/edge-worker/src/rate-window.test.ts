import { describe, expect, it } from 'vitest';
import { createRateWindows } from './rate-window.js';

describe('createRateWindows', () => {
  it('refuses the request past the limit within one window', () => {
    const windows = createRateWindows(8);
    const over = Array.from({ length: 6 }, (_, i) => windows.hit('k', 1_000 + i, 5, 10_000).over);
    expect(over).toEqual([false, false, false, false, false, true]);
  });

  it('slides: the previous window weighs in proportionally, then drops out', () => {
    const windows = createRateWindows(8);
    for (let i = 0; i < 10; i++) windows.hit('k', i, 100, 10_000);
    // Half-way into the next window half of the previous 10 still count.
    expect(windows.hit('k', 15_000, 100, 10_000).count).toBe(1 + 5);
    // Two windows later nothing of the first is left.
    expect(windows.hit('k', 40_000, 100, 10_000).count).toBe(1);
  });

  it('starts a key window at its first request, not at a clock boundary', () => {
    const windows = createRateWindows(8);
    for (let i = 0; i < 5; i++) windows.hit('k', 9_990 + i, 5, 10_000);
    // An aligned window would have reset at 10 000; this one still sees the 5 earlier requests.
    expect(windows.hit('k', 10_500, 5, 10_000)).toEqual({ count: 6, over: true });
  });

  it('is bounded: evicts the least recently used key and counts it', () => {
    const windows = createRateWindows(2);
    windows.hit('a', 0, 1, 10_000);
    windows.hit('b', 0, 1, 10_000);
    windows.hit('a', 1, 1, 10_000);
    windows.hit('c', 2, 1, 10_000);
    expect(windows.size).toBe(2);
    expect(windows.evicted).toBe(1);
    expect(windows.hit('a', 3, 1, 10_000).count).toBe(3); // a survived; b was evicted
    expect(windows.hit('b', 3, 1, 10_000).count).toBe(1);
    expect(() => createRateWindows(1)).toThrow(/must be an integer >= 2/);
  });

  it('stays within its bound and counts what it lost, however many keys pass through', () => {
    const windows = createRateWindows(1_000);
    for (let i = 0; i < 100_000; i++) windows.hit(`k${i % 5_000}`, i, 10, 10_000);
    expect(windows.size).toBeLessThanOrEqual(1_000);
    // Every key is new when it comes back (5,000 keys cycle through 1,000 slots): all but the held ones were lost.
    expect(windows.evicted).toBe(100_000 - windows.size);
  });
});
