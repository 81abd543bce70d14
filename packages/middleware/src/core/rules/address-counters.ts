import { slidingEstimate } from './rate-window.js';

/**
 * Sliding-window request counters keyed by numbers: a client's address words (IPv6 already cut to
 * its prefix) and, for `ip+path` rules, two 32-bit hashes of the path. Each table is one
 * `Int32Array` of slots (open addressing, linear probing) holding a key and its counts side by
 * side, so counting a request reads one or two cache lines and builds no string; a counter takes
 * 80 bytes of table at most (40 a slot, at most half the slots used) where a `Map` entry took ~150.
 *
 * Bounded like `Generations`: at most `maxKeys` keys in two generations. Counts go to the young
 * table; a key found only in the old one is copied into the young one; when the young one holds
 * half of `maxKeys` it becomes the old one and the keys of the previous old one that were not
 * counted since are dropped together (counted in `evictions`). The hash is seeded per instance, and
 * no key is stored further than `MAX_PROBES` slots from its home: a key that would go further
 * (keys crafted to collide) takes the place of the last key within reach, so lookups stay short.
 *
 * Same estimate as `RateWindow`: the current fixed window plus the previous one weighted by its
 * remaining overlap. Windows are numbered `floor(now / windowMs)` in 32 bits: exact for any clock
 * before the year 2650 with 10-s windows.
 *
 * @example
 * const counters = new AddressCounters(60_000, 100_000);
 * counters.hit(4, 0xc0000201 | 0, 0, 0, 0, 0, 0, Date.now()); // 1 (192.0.2.1, first request)
 */
export class AddressCounters {
  evictions = 0;
  private young: Table;
  private old: Table;
  /** Keys of the old table copied into the young one (held twice, counted once). */
  private promoted = 0;
  private readonly half: number;
  private readonly maxSlots: number;
  private readonly seed: number;
  /** The window `windowOf` last found (its number, 32 bits) and its bounds in ms. */
  private window = 0;
  private windowStart = 0;
  private windowEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
    /** The hash's seed: random unless a test fixes it. */
    seed: number = randomSeed(),
  ) {
    if (!Number.isInteger(maxKeys) || maxKeys < 2) {
      throw new TypeError(`maxKeys must be an integer >= 2, got ${maxKeys}`);
    }
    this.half = Math.floor(maxKeys / 2);
    // At most half the slots in use, so probes stay short.
    this.maxSlots = Math.max(MIN_SLOTS, nextPowerOfTwo(this.half * 2));
    this.young = newTable(MIN_SLOTS);
    this.old = newTable(MIN_SLOTS);
    this.seed = seed | 0;
  }

  /** Keys held. */
  get size(): number {
    return this.young.count + this.old.count - this.promoted;
  }

  /**
   * Counts one request of the key at `now`; returns the sliding estimate including it. `family` is
   * 4 or 6 (part of the key); the words are 32-bit integers, unused ones 0.
   */
  hit(family: number, a0: number, a1: number, a2: number, a3: number, p0: number, p1: number, now: number): number {
    const hash = hashKey(this.seed, family, a0, a1, a2, a3, p0, p1);
    const young = this.young;
    const found = find(young, hash, family, a0, a1, a2, a3, p0, p1);
    if (found >= 0) return this.count(young.slots, found, now);
    return this.add(hash, found, family, a0, a1, a2, a3, p0, p1, now);
  }

  /**
   * `hit` for a key not in the young table: its search there stopped at `searched` (-1 - that
   * index, or NOT_PLACEABLE). The table is grown first while below its largest size, or replaced
   * by a new generation when full; the key's counts come along if it is in the old table.
   */
  private add(
    hash: number,
    searched: number,
    family: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    p0: number,
    p1: number,
    now: number,
  ): number {
    // Not counted in this generation: copied from the old one if there, else a new counter.
    const old = this.old.slots;
    const inOld = find(this.old, hash, family, a0, a1, a2, a3, p0, p1);
    const window = inOld >= 0 ? old[inOld + WINDOW]! : this.windowOf(now);
    const current = inOld >= 0 ? old[inOld + CURRENT]! : 0;
    const previous = inOld >= 0 ? old[inOld + PREVIOUS]! : 0;
    let free = searched;
    let promoted = inOld >= 0;
    const young = this.young;
    if (young.count >= this.half) {
      this.swap(promoted);
      promoted = false;
      free = -1 - home(this.young, hash); // the new young table is empty
    } else if ((young.count + 1) * 2 * STRIDE > young.slots.length && young.slots.length < this.maxSlots * STRIDE) {
      this.young = this.grow(young);
      free = find(this.young, hash, family, a0, a1, a2, a3, p0, p1);
    }
    if (free === NOT_PLACEABLE) free = -1 - this.evictInRun(hash);
    if (promoted) this.promoted += 1;
    const at = -1 - free;
    const slots = this.young.slots;
    slots[at] = family;
    slots[at + 1] = a0;
    slots[at + 2] = a1;
    slots[at + 3] = a2;
    slots[at + 4] = a3;
    slots[at + 5] = p0;
    slots[at + 6] = p1;
    slots[at + CURRENT] = current;
    slots[at + PREVIOUS] = previous;
    slots[at + WINDOW] = window;
    this.young.count += 1;
    return this.count(slots, at, now);
  }

  /** The number of the window `now` falls in, remembered with its bounds: most requests fall in the last one. */
  private windowOf(now: number): number {
    if (now >= this.windowStart && now < this.windowEnd) return this.window;
    const window = Math.floor(now / this.windowMs);
    this.windowStart = window * this.windowMs;
    this.windowEnd = this.windowStart + this.windowMs;
    this.window = window | 0;
    return this.window;
  }

  /** Counts one request in the slot at `at` at `now`; returns the sliding estimate including it. */
  private count(slots: Int32Array, at: number, now: number): number {
    const window = this.windowOf(now);
    let current = slots[at + CURRENT]!;
    let previous = slots[at + PREVIOUS]!;
    const stored = slots[at + WINDOW]!;
    if (stored !== window) {
      previous = window === ((stored + 1) | 0) ? current : 0;
      current = 0;
      slots[at + WINDOW] = window;
      slots[at + PREVIOUS] = previous;
    }
    slots[at + CURRENT] = current += 1;
    return slidingEstimate(current, previous, now, this.windowStart, this.windowMs);
  }

  /** Forgets the key (its client was just banned): it is counted afresh from its next request. */
  reset(family: number, a0: number, a1: number, a2: number, a3: number, p0: number, p1: number): void {
    const hash = hashKey(this.seed, family, a0, a1, a2, a3, p0, p1);
    const inYoung = find(this.young, hash, family, a0, a1, a2, a3, p0, p1);
    const inOld = find(this.old, hash, family, a0, a1, a2, a3, p0, p1);
    if (inYoung >= 0) this.remove(this.young, inYoung);
    if (inOld >= 0) this.remove(this.old, inOld);
    if (inYoung >= 0 && inOld >= 0) this.promoted -= 1;
  }

  /**
   * Empties the slot at `at` and moves later keys of its run back towards their home slots
   * (backward-shift deletion), so that no search stops early at the hole. A key only ever moves
   * closer to its home, so every key stays within MAX_PROBES of it.
   */
  private remove(table: Table, at: number): void {
    const slots = table.slots;
    const mask = table.mask;
    let hole = at / STRIDE;
    for (let next = (hole + 1) & mask; slots[next * STRIDE] !== 0; next = (next + 1) & mask) {
      const home = this.hashAt(slots, next * STRIDE) & mask;
      // The key at `next` may fill the hole unless its home lies after the hole (cyclically) up to `next`.
      if (((next - home) & mask) < ((next - hole) & mask)) continue;
      slots.copyWithin(hole * STRIDE, next * STRIDE, next * STRIDE + STRIDE);
      hole = next;
    }
    slots[hole * STRIDE] = 0;
    table.count -= 1;
  }

  /**
   * Frees the last slot within reach of `hash` when all MAX_PROBES of them are taken (keys crafted
   * to collide: the seed would have to be known). Its key is evicted; O(1), where starting a new
   * generation would cost a table's worth of clearing per request.
   */
  private evictInRun(hash: number): number {
    const young = this.young;
    const slots = young.slots;
    const at = (home(young, hash) + (MAX_PROBES - 1) * STRIDE) % slots.length;
    const s = slots;
    const inOld = find(
      this.old,
      this.hashAt(s, at),
      s[at]!,
      s[at + 1]!,
      s[at + 2]!,
      s[at + 3]!,
      s[at + 4]!,
      s[at + 5]!,
      s[at + 6]!,
    );
    if (inOld >= 0) this.promoted -= 1;
    else this.evictions += 1;
    young.count -= 1;
    return at;
  }

  /** The young table becomes the old one; the previous old table's unpromoted keys are dropped. */
  private swap(promoting: boolean): void {
    // The key being promoted, if any, survives: it goes into the new young table.
    this.evictions += this.old.count - this.promoted - (promoting ? 1 : 0);
    const recycled = this.old;
    this.old = this.young;
    recycled.slots.fill(0);
    recycled.count = 0;
    this.young = recycled;
    this.promoted = 0;
  }

  /** A table twice the size with the same keys and counts (a key that lands out of reach is dropped). */
  private grow(table: Table): Table {
    const bigger = newTable((table.slots.length / STRIDE) * 2);
    const from = table.slots;
    for (let at = 0; at < from.length; at += STRIDE) {
      if (from[at] === 0) continue;
      const to = freeWithin(bigger, this.hashAt(from, at));
      if (to === -1) {
        this.evictions += 1;
        continue;
      }
      bigger.slots.set(from.subarray(at, at + STRIDE), to);
      bigger.count += 1;
    }
    return bigger;
  }

  private hashAt(slots: Int32Array, at: number): number {
    const s = slots;
    return hashKey(this.seed, s[at]!, s[at + 1]!, s[at + 2]!, s[at + 3]!, s[at + 4]!, s[at + 5]!, s[at + 6]!);
  }
}

interface Table {
  /**
   * STRIDE words a slot: the family (0: empty, else 4 or 6), a0..a3, p0, p1, then the counts of
   * the current and previous windows and the current window's number.
   */
  slots: Int32Array;
  /** Slots - 1 (a power of two - 1): a hash's home slot is `hash & mask`. */
  mask: number;
  count: number;
}

const STRIDE = 10;
const CURRENT = 7;
const PREVIOUS = 8;
const WINDOW = 9;
const MIN_SLOTS = 256;
/** Farthest a key is stored from its home slot. */
const MAX_PROBES = 64;
/** `find`'s answer when neither the key nor a free slot lies within MAX_PROBES. */
const NOT_PLACEABLE = -1 - 0x7fffffff;

function newTable(slots: number): Table {
  return { slots: new Int32Array(slots * STRIDE), mask: slots - 1, count: 0 };
}

function nextPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

/** A random 32-bit seed for a hash (a counter table's, a path's). */
export function randomSeed(): number {
  const bytes = new Int32Array(1);
  crypto.getRandomValues(bytes);
  return bytes[0]!;
}

/**
 * A 32-bit hash of the key, seeded: the words' products are independent (the CPU computes them
 * side by side, where a chain of rounds waits on each), then murmur3's finaliser spreads every bit.
 */
export function hashKey(
  seed: number,
  family: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  p0: number,
  p1: number,
): number {
  let h =
    Math.imul(a0 ^ seed, 0x9e3779b1) ^
    Math.imul(a1 + family, 0x85ebca6b) ^
    Math.imul(a2, 0xc2b2ae35) ^
    Math.imul(a3 ^ (seed >>> 7), 0x27d4eb2f) ^
    Math.imul(p0, 0x165667b1) ^
    Math.imul(p1 ^ (seed << 9), 0xd3a2646d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The index of the hash's home slot. */
function home(table: Table, hash: number): number {
  return (hash & table.mask) * STRIDE;
}

/** The key's index (>= 0), or -1 - the first free slot's index on its path, or NOT_PLACEABLE. */
function find(
  table: Table,
  hash: number,
  family: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  p0: number,
  p1: number,
): number {
  const slots = table.slots;
  const end = slots.length;
  let at = (hash & table.mask) * STRIDE;
  for (let probes = 0; probes < MAX_PROBES; probes++) {
    const tag = slots[at]!;
    if (tag === 0) return -1 - at;
    if (
      tag === family &&
      slots[at + 1] === a0 &&
      slots[at + 2] === a1 &&
      slots[at + 3] === a2 &&
      slots[at + 4] === a3 &&
      slots[at + 5] === p0 &&
      slots[at + 6] === p1
    ) {
      return at;
    }
    at += STRIDE;
    if (at === end) at = 0;
  }
  return NOT_PLACEABLE;
}

/** The first free slot's index within MAX_PROBES of the hash's home, or -1. */
function freeWithin(table: Table, hash: number): number {
  const slots = table.slots;
  let at = home(table, hash);
  for (let probes = 0; probes < MAX_PROBES; probes++) {
    if (slots[at] === 0) return at;
    at += STRIDE;
    if (at === slots.length) at = 0;
  }
  return -1;
}
