import { MASKS } from './cidr.js';

const INITIAL_CAPACITY = 64;

/**
 * A path-compressed binary prefix trie (a PATRICIA tree) over addresses of one family, kept in
 * typed arrays so a million prefixes cost tens of megabytes rather than millions of objects.
 * A lookup visits at most one node per distinct branching bit on its path, so its cost is
 * bounded by the address width (32 or 128 bits), never by the number of prefixes.
 *
 * Node 0 is the root: the empty prefix. Child index 0 therefore means "no child".
 * @internal
 */
export class PrefixTrie {
  private readonly wordCount: number;
  private capacity = INITIAL_CAPACITY;
  private nodeCount = 1;
  private keys: Uint32Array;
  private prefixes: Uint8Array;
  private children: Int32Array; // [2 * node] for bit 0, [2 * node + 1] for bit 1
  private values: Int32Array; // value index + 1; 0 when the node only branches

  constructor(wordCount: 1 | 4) {
    this.wordCount = wordCount;
    this.keys = new Uint32Array(INITIAL_CAPACITY * wordCount);
    this.prefixes = new Uint8Array(INITIAL_CAPACITY);
    this.children = new Int32Array(INITIAL_CAPACITY * 2);
    this.values = new Int32Array(INITIAL_CAPACITY);
  }

  /**
   * Stores `value` (a non-negative index) for the block `words/prefix` (host bits already
   * cleared). Returns false, storing nothing, when the block is already present.
   */
  insert(words: readonly number[], prefix: number, value: number): boolean {
    let node = 0;
    for (;;) {
      const nodePrefix = this.prefixes[node] as number;
      if (nodePrefix === prefix) {
        if (this.values[node] !== 0) return false;
        this.values[node] = value + 1;
        return true;
      }
      const side = bitAt(words, nodePrefix);
      const child = this.children[2 * node + side] as number;
      if (child === 0) {
        this.children[2 * node + side] = this.addNode(words, prefix, value + 1);
        return true;
      }
      const childPrefix = this.prefixes[child] as number;
      const common = this.commonPrefix(words, child, Math.min(prefix, childPrefix));
      if (common === childPrefix) {
        node = child;
        continue;
      }
      if (common === prefix) {
        // The new block sits between `node` and `child`.
        const inserted = this.addNode(words, prefix, value + 1);
        this.children[2 * inserted + this.keyBit(child, prefix)] = child;
        this.children[2 * node + side] = inserted;
        return true;
      }
      // The two diverge below both: a branching node with no value of its own.
      const branch = this.addNode(words, common, 0);
      const leaf = this.addNode(words, prefix, value + 1);
      this.children[2 * branch + bitAt(words, common)] = leaf;
      this.children[2 * branch + this.keyBit(child, common)] = child;
      this.children[2 * node + side] = branch;
      return true;
    }
  }

  /** The value index of the longest stored IPv4 prefix that contains `address`, or -1. */
  lookupWord(address: number): number {
    const { keys, prefixes, children, values } = this;
    let best = (values[0] as number) - 1;
    let node = 0;
    for (;;) {
      const nodePrefix = prefixes[node] as number;
      if (nodePrefix === 32) return best;
      const child = children[2 * node + ((address >>> (31 - nodePrefix)) & 1)] as number;
      if (child === 0) return best;
      if (((address ^ (keys[child] as number)) & (MASKS[prefixes[child] as number] as number)) !== 0) return best;
      const value = values[child] as number;
      if (value !== 0) best = value - 1;
      node = child;
    }
  }

  /** The value index of the longest stored prefix that contains `words`, or -1. */
  lookup(words: readonly number[]): number {
    const { keys, prefixes, children, values, wordCount } = this;
    const width = wordCount * 32;
    let best = (values[0] as number) - 1;
    let node = 0;
    for (;;) {
      const nodePrefix = prefixes[node] as number;
      if (nodePrefix === width) return best;
      const word = words[nodePrefix >>> 5] as number;
      const side = (word >>> (31 - (nodePrefix & 31))) & 1;
      const child = children[2 * node + side] as number;
      if (child === 0) return best;
      const childPrefix = prefixes[child] as number;
      // Compare only the words that the child's prefix covers, skipping ones already known equal.
      const base = child * wordCount;
      const last = (childPrefix - 1) >>> 5;
      for (let w = nodePrefix >>> 5; w < last; w++) {
        if ((words[w] as number) !== keys[base + w]) return best;
      }
      const kept = childPrefix - last * 32;
      if ((((words[last] as number) ^ (keys[base + last] as number)) & (MASKS[kept] as number)) !== 0) return best;
      const value = values[child] as number;
      if (value !== 0) best = value - 1;
      node = child;
    }
  }

  private keyBit(node: number, bit: number): number {
    const word = this.keys[node * this.wordCount + (bit >>> 5)] as number;
    return (word >>> (31 - (bit & 31))) & 1;
  }

  private commonPrefix(words: readonly number[], node: number, limit: number): number {
    const base = node * this.wordCount;
    for (let w = 0; w * 32 < limit; w++) {
      const diff = ((words[w] as number) ^ (this.keys[base + w] as number)) >>> 0;
      if (diff !== 0) return Math.min(limit, w * 32 + Math.clz32(diff));
    }
    return limit;
  }

  private addNode(words: readonly number[], prefix: number, valuePlusOne: number): number {
    if (this.nodeCount === this.capacity) this.grow();
    const node = this.nodeCount++;
    const base = node * this.wordCount;
    for (let w = 0; w < this.wordCount; w++) {
      const kept = Math.max(0, Math.min(32, prefix - w * 32));
      this.keys[base + w] = (words[w] as number) & (MASKS[kept] as number);
    }
    this.prefixes[node] = prefix;
    this.values[node] = valuePlusOne;
    return node;
  }

  private grow(): void {
    this.capacity *= 2;
    this.keys = copyInto(new Uint32Array(this.capacity * this.wordCount), this.keys);
    this.prefixes = copyInto(new Uint8Array(this.capacity), this.prefixes);
    this.children = copyInto(new Int32Array(this.capacity * 2), this.children);
    this.values = copyInto(new Int32Array(this.capacity), this.values);
  }
}

function copyInto<T extends Uint32Array | Uint8Array | Int32Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

function bitAt(words: readonly number[], bit: number): number {
  return ((words[bit >>> 5] as number) >>> (31 - (bit & 31))) & 1;
}
