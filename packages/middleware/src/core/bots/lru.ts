/**
 * A bounded least-recently-used cache over a `Map` (which keeps insertion order): a hit moves
 * the key to the back, and inserting past `capacity` drops the key at the front.
 *
 * @example
 * const cache = new LruCache<string, number>(2);
 * cache.set('a', 1); cache.set('b', 2); cache.get('a'); cache.set('c', 3);
 * cache.has('b'); // false: 'b' was the least recently used
 */
export class LruCache<Key, Value> {
  readonly capacity: number;
  /** Entries dropped to make room since the cache was made. */
  evictions = 0;
  private readonly map = new Map<Key, Value>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`LruCache: capacity ${String(capacity)} is not a positive integer`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.map.size;
  }

  /** The cached value, marked as most recently used; `undefined` when absent. */
  get(key: Key): Value | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  has(key: Key): boolean {
    return this.map.has(key);
  }

  set(key: Key, value: Value): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) {
        this.map.delete(oldest.value);
        this.evictions++;
      }
    }
    this.map.set(key, value);
  }

  clear(): void {
    this.map.clear();
  }
}
