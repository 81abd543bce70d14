/**
 * Sliding-window request counters for the rate Durable Object. Each counter keeps the count of its
 * current window and of the previous one; the rate at `now` is the current count plus the previous
 * count weighted by the share of the previous window still inside the sliding window. Windows start at
 * a key's first request (not aligned to the clock), so no client can burst across a shared boundary.
 * Memory is bounded: at most `maxKeys` counters, the least recently used generation evicted and counted.
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
 * A bounded map in two generations: writes and hits go to the young one; when it holds half of
 * `max`, it becomes the old one and the previous old one is dropped (those entries are counted as
 * evicted). Unlike deleting a Map's first key one at a time, this stays O(1) per call at any size.
 *
 * @example
 * const bans = new Generations<number>(10_000);
 * bans.set('192.0.2.1', Date.now() + 60_000);
 */
export class Generations<V> {
  evicted = 0;
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;
  private promoted = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 2) throw new TypeError(`max must be an integer >= 2, got ${max}`);
    this.half = Math.floor(max / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    // Promoted by copy, not moved: deleting from a Map that never grows again slows every later lookup.
    if (old !== undefined) this.set(key, old, true);
    return old;
  }

  set(key: string, value: V, promoted = false): void {
    if (!this.young.has(key) && this.young.size >= this.half) {
      // Entries of the old generation that were not promoted are lost now.
      this.evicted += this.old.size - this.promoted - (promoted ? 1 : 0);
      this.old = this.young;
      this.young = new Map();
      this.promoted = 0;
      promoted = this.old.has(key);
    } else if (!promoted && this.old.has(key) && !this.young.has(key)) {
      promoted = true;
    }
    if (promoted && !this.young.has(key)) this.promoted += 1;
    this.young.set(key, value);
  }
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
