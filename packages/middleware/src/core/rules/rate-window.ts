import { Generations } from '../generations.js';
import { PairGenerations } from '../pair-generations.js';

interface Slot {
  window: number;
  current: number;
  previous: number;
}

/**
 * Per-key request counters over a sliding window, for rate rules: the two-bucket estimate (the
 * current fixed window plus the previous one weighted by its remaining overlap), in a map of at
 * most `maxKeys` entries, kept in two generations (`Generations`): the keys not counted since the
 * younger generation last filled are dropped together, so a flood of new keys at capacity costs
 * O(1) per request (evicting one Map key at a time cost ~30 µs a hit under churn). Error of the
 * estimate: none when the previous window's requests were spread evenly; at most that window's
 * count times the share of it still overlapping otherwise.
 */
export class RateWindow {
  private readonly slots: Generations<Slot>;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
  ) {
    this.slots = new Generations<Slot>(Math.max(2, maxKeys));
  }

  get size(): number {
    return this.slots.size;
  }

  /** Counters dropped to keep memory bounded. */
  get evictions(): number {
    return this.slots.evicted;
  }

  /** Counts one request of `key` at `now`; returns the sliding estimate including it. */
  hit(key: string, now: number): number {
    const slot = this.slots.get(key);
    if (slot !== undefined) return count(slot, now, this.windowMs);
    this.slots.set(key, { window: Math.floor(now / this.windowMs), current: 1, previous: 0 });
    return 1;
  }

  reset(key: string): void {
    this.slots.delete(key);
  }

  /**
   * The sliding estimate of `key` at `now` without counting a request (0 when absent), then its
   * counts cleared in place: the entry stays, so clearing and counting again insert and delete nothing.
   */
  drain(key: string, now: number): number {
    const slot = this.slots.get(key);
    if (slot === undefined) return 0;
    const estimate = count(slot, now, this.windowMs) - 1;
    slot.current = 0;
    slot.previous = 0;
    return estimate;
  }
}

/** Counts one request in `slot` at `now`; returns the sliding estimate including it. */
function count(slot: Slot, now: number, windowMs: number): number {
  const window = Math.floor(now / windowMs);
  if (slot.window !== window) {
    slot.previous = window === slot.window + 1 ? slot.current : 0;
    slot.current = 0;
    slot.window = window;
  }
  slot.current++;
  return slidingEstimate(slot.current, slot.previous, now, window * windowMs, windowMs);
}

/**
 * The two-bucket estimate: the current fixed window's count plus the previous window's, weighted by
 * the share of it still inside the sliding window that ends at `now` (`start`: the current window's
 * start). Shared by every counter of rate rules and login detections.
 *
 * @example
 * slidingEstimate(5, 10, 15_000, 10_000, 10_000); // 5 + 10 × 0.5 = 10
 */
export function slidingEstimate(
  current: number,
  previous: number,
  now: number,
  start: number,
  windowMs: number,
): number {
  return previous === 0 ? current : current + previous * (1 - (now - start) / windowMs);
}

/**
 * `RateWindow` for keys made of a client and a path (`ip+path` rules), held in `PairGenerations`
 * so that no joined key is built per request. Same maths, same bound.
 */
export class PairRateWindow {
  private readonly slots: PairGenerations<Slot>;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
  ) {
    this.slots = new PairGenerations<Slot>(Math.max(2, maxKeys));
  }

  get size(): number {
    return this.slots.size;
  }

  /** Counters dropped to keep memory bounded. */
  get evictions(): number {
    return this.slots.evicted;
  }

  /** Counts one request of `client` on `path` at `now`; returns the sliding estimate including it. */
  hit(client: string, path: string, now: number): number {
    const slot = this.slots.get(client, path);
    if (slot !== undefined) return count(slot, now, this.windowMs);
    this.slots.set(client, path, { window: Math.floor(now / this.windowMs), current: 1, previous: 0 });
    return 1;
  }

  reset(client: string, path: string): void {
    this.slots.delete(client, path);
  }
}
