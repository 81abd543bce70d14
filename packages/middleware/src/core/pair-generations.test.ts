import { describe, expect, it } from 'vitest';
import { Generations } from './generations.js';
import { PairGenerations } from './pair-generations.js';

describe('PairGenerations', () => {
  it('keeps pairs apart: the same client on two paths, two clients on one path', () => {
    const pairs = new PairGenerations<number>(100);
    pairs.set('a', '/x', 1);
    pairs.set('a', '/y', 2);
    pairs.set('b', '/x', 3);
    expect([pairs.get('a', '/x'), pairs.get('a', '/y'), pairs.get('b', '/x'), pairs.get('b', '/y')]).toEqual([
      1,
      2,
      3,
      undefined,
    ]);
    expect(pairs.size).toBe(3);
  });

  it('looks prototype keys up as data', () => {
    const pairs = new PairGenerations<number>(100);
    expect(pairs.get('__proto__', 'constructor')).toBeUndefined();
    pairs.set('__proto__', 'toString', 1);
    expect(pairs.get('__proto__', 'toString')).toBe(1);
  });

  // The same sequence of operations on Generations (joined keys) and PairGenerations gives the same
  // values, sizes and eviction counts: the two-level map changes how keys are held, not what is kept.
  it('evicts exactly like Generations over a random mix of gets, sets and deletes', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) >>> 16) % n;
    const joined = new Generations<number>(50);
    const pairs = new PairGenerations<number>(50);
    for (let i = 0; i < 20_000; i++) {
      const client = `c${random(30)}`;
      const path = `/p${random(8)}`;
      const op = random(10);
      if (op < 5) expect(pairs.get(client, path)).toBe(joined.get(`${client} ${path}`));
      else if (op < 9) {
        joined.set(`${client} ${path}`, i);
        pairs.set(client, path, i);
      } else {
        joined.delete(`${client} ${path}`);
        pairs.delete(client, path);
      }
      expect(pairs.size).toBe(joined.size);
      expect(pairs.evicted).toBe(joined.evicted);
    }
    expect(pairs.evicted).toBeGreaterThan(1_000);
  });

  it('never holds more than max pairs, whatever one client sends', () => {
    const pairs = new PairGenerations<number>(1_000);
    for (let i = 0; i < 100_000; i++) pairs.set('one-client', `/${'x'.repeat(i % 300)}${i}`, i);
    expect(pairs.size).toBeLessThanOrEqual(1_000);
    expect(pairs.size + pairs.evicted).toBe(100_000);
  });
});
