import { describe, expect, it } from 'vitest';
import { RecentCache } from './recent-cache.js';

describe('RecentCache', () => {
  it('keeps what is read and drops what is not', () => {
    const cache = new RecentCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.evictions).toBe(1);
  });

  it('keeps an entry read in every generation for good', () => {
    const cache = new RecentCache<number, string>(10);
    cache.set(-1, 'hot');
    for (let i = 0; i < 1_000; i++) {
      cache.set(i, 'cold');
      expect(cache.get(-1)).toBe('hot');
    }
  });

  it('overwrites in place', () => {
    const cache = new RecentCache<string, number>(4);
    cache.set('a', 1);
    cache.set('a', 10);
    expect(cache.get('a')).toBe(10);
    expect(cache.size).toBe(1);
    expect(cache.evictions).toBe(0);
  });

  it.each([[1], [2], [3], [100]])('never holds more than its capacity (%i) under many distinct keys', (capacity) => {
    const cache = new RecentCache<number, number>(capacity);
    for (let i = 0; i < 10_000; i++) {
      cache.set(i, i);
      expect(cache.size).toBeLessThanOrEqual(capacity);
    }
    expect(cache.get(9_999)).toBe(9_999);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.evictions).toBe(10_000 - cache.size);
  });

  it('clears', () => {
    const cache = new RecentCache<string, number>(4);
    cache.set('a', 1);
    cache.clear();
    expect(cache.has('a')).toBe(false);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('rejects capacity %s', (capacity) => {
    expect(() => new RecentCache(capacity)).toThrow(TypeError);
  });
});
