import { MASKS } from './cidr.js';
import { bitsAt, CHILD, KEY, PREFIX, STRIDE, VALUE } from './trie-layout.js';

/**
 * Jump tables of a finished trie, all in one array. Table `t` (ids start at 1) indexes the
 * `bits[t]` address bits that follow its node's prefix; entry `i` holds, at
 * `entries[starts[t] + 2 * i]`, the deepest node those bits lead to within the table's window
 * and, next to it, the best value + 1 met on the way (0 for none).
 * @internal
 */
export interface JumpTables {
  readonly entries: Int32Array;
  readonly starts: Int32Array;
  readonly bits: Uint8Array;
}

/** Tables for a trie too small to need any. */
export const NO_JUMPS: JumpTables = { entries: new Int32Array(0), starts: new Int32Array(1), bits: new Uint8Array(1) };

/** A subtree of more nodes than this gets a table at the node where lookups land on it. */
const SUBTREE_THRESHOLD = 32;
const MIN_BITS = 4;
const MAX_BITS = 20;

/**
 * Gives large subtrees a table that replaces their upper levels with one indexed step, like a
 * stride trie, but only where lookups actually arrive: the root, then every node a table leads
 * to, or an ordinary step reaches, whose own subtree is still large. The table id is written into the node's head (bits
 * 8 and up), so a lookup learns of it without touching another cache line. The tables take
 * about as many entries as the subtrees have nodes; a trie of at most 32 nodes gets none.
 * @internal
 */
export function buildJumpTables(nodes: Int32Array, nodeCount: number, wordCount: number): JumpTables {
  const sizes = subtreeSizes(nodes, nodeCount);
  const width = wordCount * 32;
  const tables: Int32Array[] = [];
  const tableBits: number[] = [];
  const queued = new Uint8Array(nodeCount);
  const queue: number[] = [];
  const address = new Array<number>(wordCount).fill(0);
  if ((sizes[0] as number) > SUBTREE_THRESHOLD) queue.push(0);
  const enqueue = (node: number) => {
    if (node !== 0 && queued[node] === 0 && (sizes[node] as number) > SUBTREE_THRESHOLD) {
      queued[node] = 1;
      queue.push(node);
    }
  };
  // A lookup reaches a node's children by an ordinary step when the node has no table, or
  // when they lie beyond its table's window; those children may need tables of their own.
  const enqueueChildren = (node: number, beyond: number) => {
    for (let side = 0; side < 2; side++) {
      const child = nodes[node * STRIDE + CHILD + side] as number;
      if (child !== 0 && ((nodes[child * STRIDE + PREFIX] as number) & 255) > beyond) enqueue(child);
    }
  };
  while (queue.length > 0) {
    const node = queue.pop() as number;
    const size = sizes[node] as number;
    const prefix = (nodes[node * STRIDE + PREFIX] as number) & 255;
    const count = Math.min(MAX_BITS, width - prefix, 31 - Math.clz32(size));
    if (count < MIN_BITS) {
      enqueueChildren(node, prefix);
      continue;
    }
    const table = new Int32Array(2 << count);
    let useful = false;
    for (let slot = 0; slot < 1 << count; slot++) {
      setAddress(address, nodes, node, wordCount, prefix, count, slot);
      const target = walk(nodes, node, address, prefix + count);
      table[slot * 2] = target;
      table[slot * 2 + 1] = walkBestPlusOne;
      if (target !== node) {
        useful = true;
        enqueue(target);
      }
    }
    if (!useful) {
      // Every slot stays here (say, one long prefix below): skip the table, look further down.
      enqueueChildren(node, prefix);
      continue;
    }
    enqueueChildren(node, prefix + count);
    tables.push(table);
    tableBits.push(count);
    nodes[node * STRIDE + PREFIX] = prefix | (tables.length << 8);
  }
  if (tables.length === 0) return NO_JUMPS;
  const starts = new Int32Array(tables.length + 1);
  const bits = new Uint8Array(tables.length + 1);
  let total = 0;
  tables.forEach((table, index) => {
    starts[index + 1] = total;
    bits[index + 1] = tableBits[index] as number;
    total += table.length;
  });
  const entries = new Int32Array(total);
  tables.forEach((table, index) => entries.set(table, starts[index + 1] as number));
  return { entries, starts, bits };
}

/** `address` := the node's key with bits [prefix, prefix + count) set to `slot`. */
function setAddress(
  address: number[],
  nodes: Int32Array,
  node: number,
  wordCount: number,
  prefix: number,
  count: number,
  slot: number,
): void {
  for (let w = 0; w < wordCount; w++) address[w] = (nodes[node * STRIDE + KEY + w] as number) >>> 0;
  const w = prefix >>> 5;
  const offset = prefix & 31;
  const room = 32 - offset;
  if (count <= room) {
    address[w] = ((address[w] as number) | (slot << (room - count))) >>> 0;
  } else {
    address[w] = ((address[w] as number) | (slot >>> (count - room))) >>> 0;
    address[w + 1] = ((address[w + 1] as number) | (slot << (32 - (count - room)))) >>> 0;
  }
}

/** The best value + 1 met by the last `walk` (a module variable: no tuple per table slot). */
let walkBestPlusOne = 0;

/** Walks down from `start` through children whose prefix ends within `limit` bits and match; returns the last node. */
function walk(nodes: Int32Array, start: number, address: readonly number[], limit: number): number {
  let node = start;
  walkBestPlusOne = 0;
  for (;;) {
    const nodePrefix = (nodes[node * STRIDE + PREFIX] as number) & 255;
    if (nodePrefix >= limit) break;
    const child = nodes[node * STRIDE + CHILD + bitsAt(address, nodePrefix, 1)] as number;
    if (child === 0) break;
    const childPrefix = (nodes[child * STRIDE + PREFIX] as number) & 255;
    if (childPrefix > limit || !matches(nodes, child, address, childPrefix)) break;
    const value = nodes[child * STRIDE + VALUE] as number;
    if (value !== 0) walkBestPlusOne = value;
    node = child;
  }
  return node;
}

function matches(nodes: Int32Array, node: number, address: readonly number[], prefix: number): boolean {
  for (let w = 0; w * 32 < prefix; w++) {
    const kept = Math.min(32, prefix - w * 32);
    if ((((address[w] as number) ^ (nodes[node * STRIDE + KEY + w] as number)) & (MASKS[kept] as number)) !== 0) {
      return false;
    }
  }
  return true;
}

/** Nodes in each node's subtree, itself included (children can be created after parents or before). */
function subtreeSizes(nodes: Int32Array, nodeCount: number): Int32Array {
  // Depth-first order from the root; every node is pushed once, so nodeCount slots suffice.
  const order = new Int32Array(nodeCount);
  let visited = 0;
  const stack = new Int32Array(nodeCount);
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top] as number;
    order[visited++] = node;
    const left = nodes[node * STRIDE + CHILD] as number;
    const right = nodes[node * STRIDE + CHILD + 1] as number;
    if (left !== 0) stack[top++] = left;
    if (right !== 0) stack[top++] = right;
  }
  const sizes = new Int32Array(nodeCount);
  for (let i = visited - 1; i >= 0; i--) {
    const node = order[i] as number;
    const left = nodes[node * STRIDE + CHILD] as number;
    const right = nodes[node * STRIDE + CHILD + 1] as number;
    sizes[node] = 1 + (left === 0 ? 0 : (sizes[left] as number)) + (right === 0 ? 0 : (sizes[right] as number));
  }
  return sizes;
}
