import { MASKS } from './cidr.js';
import { buildJumpTables, NO_JUMPS, type JumpTables } from './trie-jumps.js';
import { bitsAt, CHILD, KEY, PREFIX, STRIDE, VALUE } from './trie-layout.js';

const INITIAL_NODES = 64;

/**
 * A path-compressed binary prefix trie (a PATRICIA tree) over addresses of one family, kept in
 * one typed array: each node is 32 bytes, so visiting a node touches one cache line, and a
 * million prefixes cost about 120 MB with their jump tables rather than millions of objects. A lookup visits at
 * most one node per branching bit on its path, so its work is bounded by the address width
 * (32 or 128 bits), never by the number of prefixes. `finish()` then adds jump tables (see
 * `trie-jumps.ts`) that skip the dense upper levels of large subtrees in one step each.
 *
 * Node 0 is the root: the empty prefix. Child 0 therefore means "no child".
 * @internal
 */
export class PrefixTrie {
  private readonly wordCount: number;
  private nodes = new Int32Array(INITIAL_NODES * STRIDE);
  private nodeCount = 1;
  private jumps: JumpTables = NO_JUMPS;
  private finished = false;

  constructor(wordCount: 1 | 4) {
    this.wordCount = wordCount;
  }

  /**
   * Stores `value` (a non-negative index) for the block `words/prefix` (host bits already
   * cleared). Returns false, storing nothing, when the block is already present.
   */
  insert(words: readonly number[], prefix: number, value: number): boolean {
    if (this.finished) throw new Error('PrefixTrie: insert after finish');
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

  /** Call once after the last insert: trims memory and adds the jump tables. */
  finish(): void {
    this.nodes = this.nodes.slice(0, this.nodeCount * STRIDE);
    this.jumps = buildJumpTables(this.nodes, this.nodeCount, this.wordCount);
    this.finished = true;
  }

  /** The value index of the longest stored IPv4 prefix that contains `address`, or -1. */
  lookupWord(address: number): number {
    const nodes = this.nodes;
    const { entries, starts, bits } = this.jumps;
    let node = 0;
    let best = (nodes[VALUE] as number) - 1;
    for (;;) {
      const head = nodes[node * STRIDE + PREFIX] as number;
      const nodePrefix = head & 255;
      const table = head >>> 8;
      if (table !== 0) {
        const at = (starts[table] as number) + ((address << nodePrefix) >>> (32 - (bits[table] as number))) * 2;
        const bestInJump = entries[at + 1] as number;
        if (bestInJump !== 0) best = bestInJump - 1;
        const target = entries[at] as number;
        if (target !== node) {
          node = target;
          continue;
        }
      }
      if (nodePrefix === 32) return best;
      const child = nodes[node * STRIDE + CHILD + ((address >>> (31 - nodePrefix)) & 1)] as number;
      if (child === 0) return best;
      const base = child * STRIDE;
      const mask = MASKS[(nodes[base + PREFIX] as number) & 255] as number;
      if (((address ^ (nodes[base + KEY] as number)) & mask) !== 0) return best;
      const value = nodes[base + VALUE] as number;
      if (value !== 0) best = value - 1;
      node = child;
    }
  }

  /** The value index of the longest stored prefix that contains `words`, or -1. */
  lookup(words: readonly number[]): number {
    const nodes = this.nodes;
    const { entries, starts, bits } = this.jumps;
    const width = this.wordCount * 32;
    let node = 0;
    let best = (nodes[VALUE] as number) - 1;
    for (;;) {
      const head = nodes[node * STRIDE + PREFIX] as number;
      const nodePrefix = head & 255;
      const table = head >>> 8;
      if (table !== 0) {
        const at = (starts[table] as number) + bitsAt(words, nodePrefix, bits[table] as number) * 2;
        const bestInJump = entries[at + 1] as number;
        if (bestInJump !== 0) best = bestInJump - 1;
        const target = entries[at] as number;
        if (target !== node) {
          node = target;
          continue;
        }
      }
      if (nodePrefix === width) return best;
      const word = words[nodePrefix >>> 5] as number;
      const child = nodes[node * STRIDE + CHILD + ((word >>> (31 - (nodePrefix & 31))) & 1)] as number;
      if (child === 0) return best;
      const base = child * STRIDE;
      const childPrefix = (nodes[base + PREFIX] as number) & 255;
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
