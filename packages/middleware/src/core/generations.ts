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

  /** Distinct keys held (a key read from the old generation is copied to the young one: counted once). */
  get size(): number {
    return this.young.size + this.old.size - this.promoted;
  }

  get(key: string): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    // Promoted by copy, not moved: deleting from a Map that never grows again slows every later lookup.
    if (old !== undefined) this.set(key, old, true);
    return old;
  }

  /** Forgets `key` (rare: a counter reset when its client is banned). */
  delete(key: string): void {
    if (this.young.delete(key) && this.old.delete(key)) this.promoted -= 1;
    else this.old.delete(key);
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
