import { MASKS } from './cidr.js';

const INITIAL_NODES = 64;
/** Ints per node: prefix, child for bit 0, child for bit 1, value + 1, then up to four key words. */
const STRIDE = 8;
const PREFIX = 0;
const CHILD = 1;
const VALUE = 3;
const KEY = 4;
/** Tries with more nodes than this get a jump table over the first 12..20 bits of the address. */
const JUMP_THRESHOLD = 4096;

/**
 * A path-compressed binary prefix trie (a PATRICIA tree) over addresses of one family, kept in
 * one typed array: each node is 32 bytes, so visiting a node touches one cache line, and a
 * million prefixes cost tens of megabytes rather than millions of objects. A lookup visits at
 * most one node per branching bit on its path, so its work is bounded by the address width
 * (32 or 128 bits), never by the number of prefixes. Large tries also get a jump table over
 * the first 12 to 20 bits, which skips the densest upper levels.
 *
 * Node 0 is the root: the empty prefix. Child 0 therefore means "no child".
 * @internal
 */
export class PrefixTrie {
  private readonly wordCount: number;
  private nodes = new Int32Array(INITIAL_NODES * STRIDE);
  private nodeCount = 1;
  /** For each value of the first 16 bits: the deepest node to resume from, and the best value + 1 so far. */
  private jump: Int32Array | null = null;
  /** How many leading bits index `jump`: about one slot per node, 12 to 20 bits (4 KiB to 8 MiB). */
  private jumpBits = 16;

  constructor(wordCount: 1 | 4) {
    this.wordCount = wordCount;
  }

  /**
   * Stores `value` (a non-negative index) for the block `words/prefix` (host bits already
   * cleared). Returns false, storing nothing, when the block is already present.
   */
  insert(words: readonly number[], prefix: number, value: number): boolean {
    this.jump = null;
    let node = 0;
    for (;;) {
      const base = node * STRIDE;
      const nodePrefix = this.nodes[base + PREFIX] as number;
      if (nodePrefix === prefix) {
        if (this.nodes[base + VALUE] !== 0) return false;
        this.nodes[base + VALUE] = value + 1;
        return true;
      }
      const edge = base + CHILD + bitAt(words, nodePrefix);
      const child = this.nodes[edge] as number;
      if (child === 0) {
        const leaf = this.addNode(words, prefix, value + 1);
        this.nodes[edge] = leaf;
        return true;
      }
      const childPrefix = this.nodes[child * STRIDE + PREFIX] as number;
      const common = this.commonPrefix(words, child, Math.min(prefix, childPrefix));
      if (common === childPrefix) {
        node = child;
        continue;
      }
      if (common === prefix) {
        // The new block sits between `node` and `child`.
        const inserted = this.addNode(words, prefix, value + 1);
        this.nodes[inserted * STRIDE + CHILD + this.keyBit(child, prefix)] = child;
        this.nodes[edge] = inserted;
        return true;
      }
      // The two diverge below both: a branching node with no value of its own.
      const branch = this.addNode(words, common, 0);
      const leaf = this.addNode(words, prefix, value + 1);
      this.nodes[branch * STRIDE + CHILD + bitAt(words, common)] = leaf;
      this.nodes[branch * STRIDE + CHILD + this.keyBit(child, common)] = child;
      this.nodes[edge] = branch;
      return true;
    }
  }

  /** Call once after the last insert: trims memory and builds the jump table of a large trie. */
  finish(): void {
    this.nodes = this.nodes.slice(0, this.nodeCount * STRIDE);
    if (this.nodeCount > JUMP_THRESHOLD) {
      this.jumpBits = Math.max(12, Math.min(20, 31 - Math.clz32(this.nodeCount)));
      this.jump = this.buildJump();
    }
  }

  /** The value index of the longest stored IPv4 prefix that contains `address`, or -1. */
  lookupWord(address: number): number {
    const nodes = this.nodes;
    let node = 0;
    let best = (nodes[VALUE] as number) - 1;
    const jump = this.jump;
    if (jump !== null) {
      const slot = (address >>> (32 - this.jumpBits)) * 2;
      node = jump[slot] as number;
      best = (jump[slot + 1] as number) - 1;
    }
    for (;;) {
      const nodePrefix = nodes[node * STRIDE + PREFIX] as number;
      if (nodePrefix === 32) return best;
      const child = nodes[node * STRIDE + CHILD + ((address >>> (31 - nodePrefix)) & 1)] as number;
      if (child === 0) return best;
      const base = child * STRIDE;
      if (((address ^ (nodes[base + KEY] as number)) & (MASKS[nodes[base + PREFIX] as number] as number)) !== 0) {
        return best;
      }
      const value = nodes[base + VALUE] as number;
      if (value !== 0) best = value - 1;
      node = child;
    }
  }

  /** The value index of the longest stored prefix that contains `words`, or -1. */
  lookup(words: readonly number[]): number {
    const nodes = this.nodes;
    const width = this.wordCount * 32;
    let node = 0;
    let best = (nodes[VALUE] as number) - 1;
    const jump = this.jump;
    if (jump !== null) {
      const slot = ((words[0] as number) >>> (32 - this.jumpBits)) * 2;
      node = jump[slot] as number;
      best = (jump[slot + 1] as number) - 1;
    }
    for (;;) {
      const nodePrefix = nodes[node * STRIDE + PREFIX] as number;
      if (nodePrefix === width) return best;
      const word = words[nodePrefix >>> 5] as number;
      const child = nodes[node * STRIDE + CHILD + ((word >>> (31 - (nodePrefix & 31))) & 1)] as number;
      if (child === 0) return best;
      const base = child * STRIDE;
      const childPrefix = nodes[base + PREFIX] as number;
      // Compare only the words that the child's prefix covers, skipping ones already known equal.
      const last = (childPrefix - 1) >>> 5;
      for (let w = nodePrefix >>> 5; w < last; w++) {
        if (((words[w] as number) ^ (nodes[base + KEY + w] as number)) !== 0) return best;
      }
      const kept = childPrefix - last * 32;
      if ((((words[last] as number) ^ (nodes[base + KEY + last] as number)) & (MASKS[kept] as number)) !== 0) {
        return best;
      }
      const value = nodes[base + VALUE] as number;
      if (value !== 0) best = value - 1;
      node = child;
    }
  }

  /**
   * For every value of the first `jumpBits` bits, walks down through nodes no longer than that which
   * match it: a lookup can start there with the best value found on the way.
   */
  private buildJump(): Int32Array {
    const nodes = this.nodes;
    const bits = this.jumpBits;
    const jump = new Int32Array(2 << bits);
    for (let slot = 0; slot < 1 << bits; slot++) {
      const word = (slot << (32 - bits)) >>> 0;
      let node = 0;
      let best = nodes[VALUE] as number;
      for (;;) {
        const nodePrefix = nodes[node * STRIDE + PREFIX] as number;
        if (nodePrefix >= bits) break;
        const child = nodes[node * STRIDE + CHILD + ((word >>> (31 - nodePrefix)) & 1)] as number;
        if (child === 0) break;
        const childPrefix = nodes[child * STRIDE + PREFIX] as number;
        if (childPrefix > bits) break;
        if (((word ^ (nodes[child * STRIDE + KEY] as number)) & (MASKS[childPrefix] as number)) !== 0) break;
        const value = nodes[child * STRIDE + VALUE] as number;
        if (value !== 0) best = value;
        node = child;
      }
      jump[slot * 2] = node;
      jump[slot * 2 + 1] = best;
    }
    return jump;
  }

  private keyBit(node: number, bit: number): number {
    const word = this.nodes[node * STRIDE + KEY + (bit >>> 5)] as number;
    return (word >>> (31 - (bit & 31))) & 1;
  }

  private commonPrefix(words: readonly number[], node: number, limit: number): number {
    const base = node * STRIDE + KEY;
    for (let w = 0; w * 32 < limit; w++) {
      const diff = ((words[w] as number) ^ (this.nodes[base + w] as number)) >>> 0;
      if (diff !== 0) return Math.min(limit, w * 32 + Math.clz32(diff));
    }
    return limit;
  }

  private addNode(words: readonly number[], prefix: number, valuePlusOne: number): number {
    if ((this.nodeCount + 1) * STRIDE > this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    const node = this.nodeCount++;
    const base = node * STRIDE;
    for (let w = 0; w < this.wordCount; w++) {
      const kept = Math.max(0, Math.min(32, prefix - w * 32));
      this.nodes[base + KEY + w] = (words[w] as number) & (MASKS[kept] as number);
    }
    this.nodes[base + PREFIX] = prefix;
    this.nodes[base + VALUE] = valuePlusOne;
    return node;
  }
}

function bitAt(words: readonly number[], bit: number): number {
  return ((words[bit >>> 5] as number) >>> (31 - (bit & 31))) & 1;
}
