/**
 * Sliding-window request counters for the rate Durable Object. Each counter keeps the count of its
 * current window and of the previous one; the rate at `now` is the current count plus the previous
 * count weighted by the share of the previous window still inside the sliding window. Windows start at
 * a key's first request (not aligned to the clock), so no client can burst across a shared boundary.
 * Memory is bounded: past `maxKeys` the least recently used counter is evicted and counted.
 */

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
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError(`maxKeys must be an integer >= 1, got ${maxKeys}`);
  const counters = new Map<string, Counter>();
  let evicted = 0;
  return {
    hit(key, now, limit, windowMs) {
      let counter = counters.get(key);
      if (counter) counters.delete(key); // re-inserted below: the Map's order is the LRU order
      if (!counter || now - counter.start >= 2 * windowMs) {
        counter = { start: now, current: 0, previous: 0 };
      } else if (now - counter.start >= windowMs) {
        counter = { start: counter.start + windowMs, current: 0, previous: counter.current };
      }
      counter.current += 1;
      counters.set(key, counter);
      if (counters.size > maxKeys) {
        counters.delete(counters.keys().next().value as string);
        evicted += 1;
      }
      const elapsed = Math.min(windowMs, Math.max(0, now - counter.start));
      const count = counter.current + Math.floor((counter.previous * (windowMs - elapsed)) / windowMs);
      return { count, over: count > limit };
    },
    get size() {
      return counters.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
