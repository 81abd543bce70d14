interface Slot {
  window: number;
  current: number;
  previous: number;
}

/**
 * Per-key request counters over a sliding window, for rate rules: the two-bucket estimate (the
 * current fixed window plus the previous one weighted by its remaining overlap), in a map of at
 * most `maxKeys` entries. Unlike the ban counter, a hit within the same fixed window is a single
 * lookup and an increment: a key is moved to the back of the map only when its window turns,
 * so eviction drops the key whose last window is the oldest (least recently counted, to within
 * one window). Error of the estimate: none when the previous window's requests were spread
 * evenly; at most that window's count times the share of it still overlapping otherwise.
 */
export class RateWindow {
  evictions = 0;
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** Counts one request of `key` at `now`; returns the sliding estimate including it. */
  hit(key: string, now: number): number {
    const window = Math.floor(now / this.windowMs);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.slots.size >= this.maxKeys) {
        const stalest = this.slots.keys().next();
        if (stalest.done !== true) {
          this.slots.delete(stalest.value);
          this.evictions++;
        }
      }
      slot = { window, current: 0, previous: 0 };
      this.slots.set(key, slot);
    } else if (slot.window !== window) {
      slot.previous = window === slot.window + 1 ? slot.current : 0;
      slot.current = 0;
      slot.window = window;
      this.slots.delete(key);
      this.slots.set(key, slot);
    }
    slot.current++;
    if (slot.previous === 0) return slot.current;
    return slot.current + slot.previous * (1 - (now - window * this.windowMs) / this.windowMs);
  }

  reset(key: string): void {
    this.slots.delete(key);
  }
}
