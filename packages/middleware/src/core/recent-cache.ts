/**
 * A bounded cache of recently used entries (not an exact LRU), in two generations: new and recently read
 * entries go to the young generation; when it holds half the capacity it becomes the old one
 * and the previous old generation is dropped. A hit in the young generation is a single `Map`
 * lookup, with no reordering, which matters on a per-request path; an entry survives as long
 * as it is read at least once per half-capacity of insertions. Never more than `capacity`
 * entries are held.
 *
 * @example
 * const cache = new RecentCache<string, number>(4);
 * cache.set('a', 1); cache.set('b', 2);      // young generation full: it becomes the old one
 * cache.get('a');                            // 1, and 'a' is young again
 * cache.set('c', 3);                         // young full again: 'b' (never read) is dropped
 * cache.has('b');                            // false
 */
export class RecentCache<Key, Value> {
  readonly capacity: number;
  /** Entries dropped to make room since the cache was made. */
  evictions = 0;
  private readonly generationSize: number;
  private young = new Map<Key, Value>();
  private old = new Map<Key, Value>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`RecentCache: capacity ${String(capacity)} is not a positive integer`);
    }
    this.capacity = capacity;
    // Both generations together hold at most 2 * generationSize - 1 <= capacity entries.
    this.generationSize = Math.floor((capacity + 1) / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The cached value, kept as recently used; `undefined` when absent. */
  get(key: Key): Value | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.addYoung(key, aged);
    }
    return aged;
  }

  has(key: Key): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  set(key: Key, value: Value): void {
    if (this.young.has(key)) {
      this.young.set(key, value);
      return;
    }
    this.old.delete(key);
    this.addYoung(key, value);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private addYoung(key: Key, value: Value): void {
    this.young.set(key, value);
    if (this.young.size >= this.generationSize) {
      this.evictions += this.old.size;
      this.old = this.young;
      this.young = new Map();
    }
  }
}
