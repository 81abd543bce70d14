import { RateWindow } from '../rules/rate-window.js';

/**
 * Per-client error counters over a sliding window, in a map that never holds more than
 * `maxClients` entries (at least 2). Each client costs two counters: the current fixed window and
 * the previous one, weighted by how much of it still overlaps the sliding window (the estimate
 * Cloudflare and nginx use). The clients not counted since the younger of two generations last
 * filled are evicted together (`Generations`), so a flood of new clients at capacity costs O(1)
 * per hit; evicting the single stalest Map key instead cost tens of µs a hit under churn.
 */
export interface SlidingCounter {
  /** Counts one event for `key` at `now` and returns the sliding-window estimate after it. */
  hit(key: string, now: number): number;
  /** Forgets a client (after it was banned, its count starts over). */
  reset(key: string): void;
  /** The estimate for `key` at `now` without counting one (0 when absent); its count then starts over. */
  drain(key: string, now: number): number;
  readonly size: number;
  /** Clients evicted to stay within `maxClients`, since creation. */
  readonly evictions: number;
}

/**
 * @example
 * const counter = createSlidingCounter({ windowMs: 30_000, maxClients: 100_000 });
 * counter.hit('203.0.113.7', Date.now()); // 1
 */
export function createSlidingCounter({
  windowMs,
  maxClients,
}: {
  windowMs: number;
  maxClients: number;
}): SlidingCounter {
  return new RateWindow(windowMs, maxClients);
}
