import { describe, expect, it } from 'vitest';
import { createSlidingCounter } from './window.js';

const W = 10_000;
const START = 1_800_000_000_000; // a multiple of W: a fixed window starts here

describe('createSlidingCounter: sliding window maths', () => {
  it.each([
    ['at the start of the next window, all of the previous one counts', 0, 11],
    ['a quarter in, three quarters of it', 2_500, 8.5],
    ['half-way, half of it', 5_000, 6],
    ['at its very end, almost none', 9_999, 1.001],
    ['a whole window later, none', 10_000, 1],
  ])('%s', (_name, offset, expected) => {
    const counter = createSlidingCounter({ windowMs: W, maxClients: 10 });
    for (let i = 0; i < 10; i++) counter.hit('c', START + 1 + i);
    expect(counter.hit('c', START + W + offset)).toBeCloseTo(expected, 6);
  });

  it('counts within one window exactly; reset starts over; other keys are apart', () => {
    const counter = createSlidingCounter({ windowMs: W, maxClients: 10 });
    expect([1, 2, 3].map(() => counter.hit('a', START))).toEqual([1, 2, 3]);
    expect(counter.hit('b', START)).toBe(1);
    counter.reset('a');
    expect(counter.hit('a', START + 1)).toBe(1);
  });
});

describe('createSlidingCounter: memory bounds', () => {
  it('never holds more than maxClients, counts each eviction, keeps a client counted all along', () => {
    const counter = createSlidingCounter({ windowMs: W, maxClients: 1_000 });
    for (let i = 0; i < 100_000; i++) {
      counter.hit(`10.0.${i >> 8}.${i & 255}`, START);
      if (i % 100 === 0) counter.hit('steady', START);
      if (i % 1_000 === 0) expect(counter.size).toBeLessThanOrEqual(1_000);
    }
    expect(counter.size).toBeLessThanOrEqual(1_000);
    expect(counter.size + counter.evictions).toBe(100_001);
    expect(counter.hit('steady', START)).toBe(1_001);
  });

  it('stays O(1) per hit at capacity under a flood of new clients', () => {
    const counter = createSlidingCounter({ windowMs: W, maxClients: 100_000 });
    for (let i = 0; i < 100_000; i++) counter.hit(`old${i}`, START);
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) counter.hit(`new${i}`, START);
    // ~0.2 µs a hit here; evicting the first Map key one at a time cost ~30 µs.
    expect((performance.now() - started) / 100_000).toBeLessThan((5 / 1_000) * 1_000);
    expect(counter.evictions).toBeGreaterThan(0);
  });
});
