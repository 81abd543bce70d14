/**
 * `Generations` keyed by a pair of strings (a client and a path), held as a map of maps: a lookup
 * hashes two strings the caller already has (a request's IP and path), where a joined key would be
 * built, copied and hashed on every request. Same bound and eviction as `Generations`: at most
 * `max` pairs, in two generations; when the young one holds half of `max` pairs, it becomes the old
 * one and the pairs of the previous old one that were not read since are dropped (and counted).
 *
 * @example
 * const counters = new PairGenerations<number>(100_000);
 * counters.set('203.0.113.7', '/login', 1);
 * counters.get('203.0.113.7', '/login'); // 1
 */
export class PairGenerations<V> {
  evicted = 0;
  private young = new Map<string, Map<string, V>>();
  private old = new Map<string, Map<string, V>>();
  private youngPairs = 0;
  private oldPairs = 0;
  /** Pairs of the old generation copied into the young one (held twice, counted once). */
  private promoted = 0;
  private readonly half: number;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 2) throw new TypeError(`max must be an integer >= 2, got ${max}`);
    this.half = Math.floor(max / 2);
  }

  /** Distinct pairs held. */
  get size(): number {
    return this.youngPairs + this.oldPairs - this.promoted;
  }

  get(first: string, second: string): V | undefined {
    const young = this.young.get(first)?.get(second);
    if (young !== undefined) return young;
    const old = this.old.get(first)?.get(second);
    // Copied, not moved, like Generations: the old maps never grow again, and deleting slows them.
    if (old !== undefined) this.put(first, second, old, true);
    return old;
  }

  set(first: string, second: string, value: V): void {
    this.put(first, second, value, false);
  }

  private put(first: string, second: string, value: V, promoting: boolean): void {
    let inner = this.young.get(first);
    if (inner !== undefined && inner.has(second)) {
      inner.set(second, value);
      return;
    }
    if (this.youngPairs >= this.half) {
      // The pair being promoted, if any, is in the old generation but survives: not evicted.
      this.evicted += this.oldPairs - this.promoted - (promoting ? 1 : 0);
      this.old = this.young;
      this.oldPairs = this.youngPairs;
      this.young = new Map();
      this.youngPairs = 0;
      this.promoted = 0;
      inner = undefined;
    }
    if (this.old.get(first)?.has(second) === true) this.promoted += 1;
    if (inner === undefined) this.young.set(first, (inner = new Map()));
    inner.set(second, value);
    this.youngPairs += 1;
  }

  delete(first: string, second: string): void {
    const young = this.young.get(first);
    const old = this.old.get(first);
    const inYoung = young !== undefined && young.delete(second);
    const inOld = old !== undefined && old.delete(second);
    if (inYoung) this.youngPairs -= 1;
    if (inOld) this.oldPairs -= 1;
    if (inYoung && inOld) this.promoted -= 1;
    if (young?.size === 0) this.young.delete(first);
    if (old?.size === 0) this.old.delete(first);
  }
}
