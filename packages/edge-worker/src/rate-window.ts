/**
 * Sliding-window request counters for the rate Durable Object. Each counter keeps the count of its
 * current window and of the previous one; the rate at `now` is the current count plus the previous
 * count weighted by the share of the previous window still inside the sliding window. Windows start at
 * a key's first request (not aligned to the clock), so no client can burst across a shared boundary.
 * Memory is bounded: at most `maxKeys` counters, the least recently used generation evicted and counted.
 */

import { Generations } from '@watchpost/middleware';

export { Generations };

interface Counter {
  start: number;
  current: number;
  previous: number;
}

/** What one request did to its counter. */
export interface RateHit {
  /** Estimated requests in the sliding window ending at `now`, this one included. */
  count: number;
  /** Whether `count` is past the limit. */
  over: boolean;
}

export interface RateWindows {
  hit(key: string, now: number, limit: number, windowMs: number): RateHit;
  readonly size: number;
  readonly evicted: number;
}

/**
 * @example
 * const windows = createRateWindows(1024);
 * windows.hit('scrapers|192.0.2.1', Date.now(), 100, 60_000).over; // false
 */
export function createRateWindows(maxKeys: number): RateWindows {
  const counters = new Generations<Counter>(maxKeys);
  return {
    hit(key, now, limit, windowMs) {
      let counter = counters.get(key);
      if (!counter || now - counter.start >= 2 * windowMs) {
        counter = { start: now, current: 0, previous: 0 };
        counters.set(key, counter);
      } else if (now - counter.start >= windowMs) {
        counter.start += windowMs;
        counter.previous = counter.current;
        counter.current = 0;
      }
      counter.current += 1;
      const elapsed = Math.min(windowMs, Math.max(0, now - counter.start));
      const count = counter.current + Math.floor((counter.previous * (windowMs - elapsed)) / windowMs);
      return { count, over: count > limit };
    },
    get size() {
      return counters.size;
    },
    get evicted() {
      return counters.evicted;
    },
  };
}
