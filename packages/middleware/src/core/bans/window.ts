/**
 * Per-client error counters over a sliding window, in a map that never holds more than
 * `maxClients` entries. Each client costs two counters: the current fixed window and the
 * previous one, weighted by how much of it still overlaps the sliding window (the estimate
 * Cloudflare and nginx use). The least recently counted client is evicted first.
 */
export interface SlidingCounter {
  /** Counts one event for `key` at `now` and returns the sliding-window estimate after it. */
  hit(key: string, now: number): number;
  /** Forgets a client (after it was banned, its count starts over). */
  reset(key: string): void;
  readonly size: number;
  /** Clients evicted to stay within `maxClients`, since creation. */
  readonly evictions: number;
}

interface Slot {
  window: number;
  current: number;
  previous: number;
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
  const slots = new Map<string, Slot>();
  let evictions = 0;

  return {
    hit(key, now) {
      const window = Math.floor(now / windowMs);
      let slot = slots.get(key);
      if (slot === undefined) {
        slot = { window, current: 0, previous: 0 };
        if (slots.size >= maxClients) {
          // Map iteration order is insertion order, and hits re-insert: the first key is the stalest.
          const stalest = slots.keys().next();
          if (stalest.done !== true) {
            slots.delete(stalest.value);
            evictions++;
          }
        }
      } else {
        slots.delete(key);
        if (window === slot.window + 1) {
          slot.previous = slot.current;
          slot.current = 0;
        } else if (window !== slot.window) {
          slot.previous = 0;
          slot.current = 0;
        }
        slot.window = window;
      }
      slots.set(key, slot);
      slot.current++;
      const overlap = 1 - (now - window * windowMs) / windowMs;
      return slot.current + slot.previous * overlap;
    },
    reset(key) {
      slots.delete(key);
    },
    get size() {
      return slots.size;
    },
    get evictions() {
      return evictions;
    },
  };
}
