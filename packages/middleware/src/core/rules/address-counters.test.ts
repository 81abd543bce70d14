import { describe, expect, it } from 'vitest';
import { AddressCounters, hashKey } from './address-counters.js';
import { RateWindow } from './rate-window.js';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) | 0;
    return (state >>> 8) / 16_777_216;
  };
}

type Key = [number, number, number, number, number, number, number];
const v4 = (word: number, p0 = 0, p1 = 0): Key => [4, word | 0, 0, 0, 0, p0, p1];
const v6 = (a0: number, a1: number, p0 = 0, p1 = 0): Key => [6, a0 | 0, a1 | 0, 0, 0, p0, p1];

describe('AddressCounters', () => {
  it('gives the same estimates as the Map-based RateWindow, resets and a clock stepping back included', () => {
    const next = random(7);
    const keys: Key[] = [];
    for (let i = 0; i < 300; i++) {
      keys.push(i % 3 === 0 ? v6(0x20010db8, i) : v4(0xc0000000 + i, i % 5 === 0 ? i : 0, i % 7));
    }
    // Room for every key: no eviction on either side, so they must agree exactly.
    const counters = new AddressCounters(10_000, 1_000);
    const reference = new RateWindow(10_000, 1_000);
    let now = T0;
    for (let step = 0; step < 20_000; step++) {
      // Fractions of a millisecond (arrival readings), and now and then a step back of up to 30 s.
      now += next() < 0.005 ? -Math.floor(next() * 30_000) : next() * 40;
      const key = keys[Math.floor(next() * keys.length)]!;
      if (next() < 0.01) {
        counters.reset(...key);
        reference.reset(key.join(','));
        continue;
      }
      expect(counters.hit(...key, now)).toBeCloseTo(reference.hit(key.join(','), now), 9);
    }
    expect(counters.size).toBe(reference.size);
    expect(counters.evictions).toBe(0);
  });

  it('slides: the previous window counts in proportion to its overlap', () => {
    const counters = new AddressCounters(10_000, 100);
    const start = Math.ceil(T0 / 10_000) * 10_000;
    for (let i = 0; i < 10; i++) counters.hit(...v4(1), start + 1);
    expect(counters.hit(...v4(1), start + 15_000)).toBe(1 + 10 * 0.5);
    // Two windows later nothing of the first remains.
    expect(counters.hit(...v4(1), start + 30_000)).toBe(1);
  });

  it('tells families, address words and path words apart', () => {
    const counters = new AddressCounters(60_000, 100);
    const keys = [v4(7), v6(7, 0), v4(7, 1), v4(7, 0, 1), v6(7, 1), [6, 7, 0, 0, 1, 0, 0] as Key];
    for (const key of keys) expect(counters.hit(...key, T0)).toBe(1);
    for (const key of keys) expect(counters.hit(...key, T0)).toBe(2);
    expect(counters.size).toBe(keys.length);
  });

  it('holds at most maxKeys keys under a flood of new ones and counts the evicted', () => {
    const counters = new AddressCounters(60_000, 1_000);
    for (let i = 0; i < 100_000; i++) counters.hit(...v4(i), T0);
    expect(counters.size).toBeLessThanOrEqual(1_000);
    expect(counters.size + counters.evictions).toBe(100_000);
  });

  it('keeps a key counted in each generation across the swaps', () => {
    const counters = new AddressCounters(600_000, 100);
    for (let i = 0; i < 10_000; i++) {
      counters.hit(...v4(0xffffffff), T0);
      counters.hit(...v4(i), T0);
    }
    expect(counters.hit(...v4(0xffffffff), T0)).toBe(10_001);
    expect(counters.size + counters.evictions).toBe(10_001);
  });

  it('reset forgets one key and leaves the others of its run findable', () => {
    const counters = new AddressCounters(60_000, 10_000, 1);
    // Keys that share a home slot in the smallest table: one long run.
    const run: Key[] = [];
    for (let word = 0; run.length < 40; word++) {
      if ((hashKey(1, 4, word, 0, 0, 0, 0, 0) & 255) === 17) run.push(v4(word));
    }
    for (const key of run) counters.hit(...key, T0);
    for (let i = 0; i < run.length; i += 2) counters.reset(...run[i]!);
    expect(counters.size).toBe(20);
    run.forEach((key, i) => expect(counters.hit(...key, T0)).toBe(i % 2 === 0 ? 1 : 2));
    expect(counters.evictions).toBe(0);
  });

  it('a crafted run of colliding keys evicts within its reach instead of growing long', () => {
    const counters = new AddressCounters(60_000, 10_000, 42);
    const colliding: Key[] = [];
    for (let word = 0; colliding.length < 500; word++) {
      // The same home in every table size up to 2^16 slots.
      if ((hashKey(42, 4, word, 0, 0, 0, 0, 0) & 0xffff) === 99) colliding.push(v4(word));
    }
    const started = performance.now();
    for (let round = 0; round < 20; round++) for (const key of colliding) counters.hit(...key, T0);
    // 10 000 hits, each reading at most 64 slots: a few ms (unbounded runs took seconds).
    expect(performance.now() - started).toBeLessThan(250);
    // The first 63 keep their slots; every later key takes the 64th, evicting the one before:
    // 436 evictions in the first round, 437 (keys 64..500) in each of the 19 others.
    expect(counters.size).toBe(64);
    expect(counters.evictions).toBe(436 + 19 * 437);
    // Keys of other homes are untouched.
    expect(counters.hit(...v4(0xabcdef), T0)).toBe(1);
    expect(counters.hit(...v4(0xabcdef), T0)).toBe(2);
  });

  it('rejects a bound below 2', () => {
    expect(() => new AddressCounters(60_000, 1)).toThrow(TypeError);
  });
});
