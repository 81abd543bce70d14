/** The node layout shared by the trie and its jump tables. @internal */

/**
 * Ints per node: head (prefix length in the low 8 bits, jump-table id above), child for bit 0,
 * child for bit 1, value + 1, then up to four key words.
 */
export const STRIDE = 8;
export const PREFIX = 0;
export const CHILD = 1;
export const VALUE = 3;
export const KEY = 4;

/** The `count` bits (1..31) of `words` that start at bit `from`, as an unsigned number. */
export function bitsAt(words: ArrayLike<number>, from: number, count: number): number {
  const w = from >>> 5;
  const offset = from & 31;
  let window = ((words[w] as number) << offset) >>> 0;
  if (offset !== 0 && w + 1 < words.length) window = (window | ((words[w + 1] as number) >>> (32 - offset))) >>> 0;
  return window >>> (32 - count);
}
