import { parseCidr, type Cidr } from './cidr.js';
import { parseIp, type ParsedIp } from './parse.js';
import { PrefixTrie } from './trie.js';

/** What a matcher can be built from: a plain `ip`/`cidr` string or an object with a `value`. */
export type IpMatcherEntry = string | { readonly value: string };

/** A compiled set of IPs and CIDRs of both families. */
export interface IpMatcher<Entry extends IpMatcherEntry = IpMatcherEntry> {
  /**
   * The entry with the longest prefix that contains `ip`, or `null` (also for a malformed
   * `ip`). Accepts text or an address already parsed by `parseIp`.
   */
  match(ip: string | ParsedIp): Entry | null;
  /** Distinct blocks stored (an entry that repeats an earlier block is not counted). */
  readonly size: number;
}

/**
 * Compiles IPs and CIDRs (IPv4 and IPv6, mixed) into a longest-prefix matcher whose lookup
 * cost does not grow with the list. Build it once, at start-up or when the list changes.
 *
 * - `10.0.0.5/24` is read as `10.0.0.0/24`; `::ffff:10.0.0.0/104` as `10.0.0.0/8`.
 * - When two entries name the same block, the first one wins.
 * - A malformed entry throws a `TypeError` that names it.
 *
 * @example
 * const denyList = createIpMatcher([
 *   { value: '203.0.113.0/24', reason: 'scanner' },
 *   { value: '2001:db8::/32', reason: 'abuse' },
 * ]);
 * denyList.match('203.0.113.9')?.reason; // 'scanner'
 * denyList.match('198.51.100.1');        // null
 */
export function createIpMatcher<Entry extends IpMatcherEntry>(entries: Iterable<Entry>): IpMatcher<Entry> {
  const v4 = new PrefixTrie(1);
  const v6 = new PrefixTrie(4);
  const given: Entry[] = [];
  const blocks: Cidr[] = [];
  for (const entry of entries) {
    const text = typeof entry === 'string' ? entry : entry?.value;
    const block = typeof text === 'string' ? parseCidr(text) : null;
    if (block === null) {
      throw new TypeError(`createIpMatcher: ${JSON.stringify(text ?? entry)} is not an IP address or CIDR block`);
    }
    given.push(entry);
    blocks.push(block);
  }
  const stored: Entry[] = [];
  for (const index of insertionOrder(blocks)) {
    const block = blocks[index] as Cidr;
    const trie = block.ip.family === 4 ? v4 : v6;
    if (trie.insert(block.ip.words, block.prefix, stored.length)) stored.push(given[index] as Entry);
  }
  v4.finish();
  v6.finish();
  return {
    size: stored.length,
    match(ip: string | ParsedIp): Entry | null {
      const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
      if (parsed === null || parsed === undefined) return null;
      const index = parsed.family === 4 ? v4.lookupWord(parsed.words[0] as number) : v6.lookup(parsed.words);
      return index === -1 ? null : (stored[index] as Entry);
    },
  };
}

/** Lists longer than this are inserted in address order: neighbours share trie paths, so the
 * build walks memory it has just touched instead of missing the cache on every level. */
const SORT_THRESHOLD = 4096;
const MAX_SORTED = 1 << 21; // the index must fit beside a 32-bit word in a double's 53 bits

/** Indexes of `blocks` in insertion order: by first address word, ties in the order given. */
function insertionOrder(blocks: readonly Cidr[]): Iterable<number> {
  const count = blocks.length;
  if (count <= SORT_THRESHOLD || count > MAX_SORTED) return blocks.keys();
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = ((blocks[i] as Cidr).ip.words[0] as number) * MAX_SORTED + i;
  keys.sort();
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = (keys[i] as number) % MAX_SORTED;
  return order;
}
