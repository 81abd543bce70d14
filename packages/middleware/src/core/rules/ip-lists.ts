import type { DenyEntry } from '../../protocol/index.js';
import { createIpMatcher, type IpMatcher } from '../ip/matcher.js';

/** An IP or CIDR given in options: plain text or `{ value }` (extra fields are kept). */
export type IpListInput = string | { readonly value: string };

/** What the deny matcher stores: the rule name to report and when the entry stops counting. */
export interface DenyTarget {
  readonly value: string;
  readonly rule: string;
  readonly expiresAt: number | null;
}

/**
 * Compiles the allow list (or any static IP list) once; a malformed entry throws a TypeError
 * that names the option and the value.
 *
 * @example
 * compileIpList(['10.0.0.0/8'], 'options.allowList').match('10.1.2.3'); // { value: '10.0.0.0/8' }
 */
export function compileIpList(list: readonly IpListInput[] | undefined, where: string): IpMatcher<{ value: string }> | null {
  if (list === undefined || list.length === 0) return null;
  if (!Array.isArray(list)) throw new TypeError(`${where} must be an array of IPs or CIDRs, got ${JSON.stringify(list)}`);
  const values = list.map((entry, i) => {
    const value = typeof entry === 'string' ? entry : entry?.value;
    if (typeof value !== 'string') throw new TypeError(`${where}[${i}] must be an IP or CIDR, got ${JSON.stringify(entry)}`);
    return { value };
  });
  try {
    return createIpMatcher(values);
  } catch (error) {
    // The matcher's TypeError names the value; add which option it came from.
    throw new TypeError(`${where}: ${(error as Error).message}`);
  }
}

/**
 * Compiles the static deny list (rule `deny-list`) together with the synced one (rule
 * `deny-list:<source>`). Static entries come first, so they win a tie on the same block. A
 * malformed synced entry is skipped and reported, never fatal: the API's list must not take
 * the app down.
 *
 * @example
 * const deny = compileDenyList(['198.51.100.7'], syncedEntries, console.error);
 * deny?.match('198.51.100.7')?.rule; // 'deny-list'
 */
export function compileDenyList(
  staticList: readonly IpListInput[] | undefined,
  synced: readonly DenyEntry[],
  onError: (error: unknown) => void,
): IpMatcher<DenyTarget> | null {
  const targets: DenyTarget[] = [];
  if (staticList !== undefined && !Array.isArray(staticList)) {
    throw new TypeError(`options.denyList must be an array of IPs or CIDRs, got ${JSON.stringify(staticList)}`);
  }
  for (const entry of staticList ?? []) {
    targets.push({ value: typeof entry === 'string' ? entry : (entry?.value as string), rule: 'deny-list', expiresAt: null });
  }
  for (const entry of synced) {
    targets.push({ value: entry.value, rule: `deny-list:${entry.source}`, expiresAt: entry.expiresAt });
  }
  if (targets.length === 0) return null;
  try {
    return createIpMatcher(targets);
  } catch {
    // A bad static entry is the user's mistake: throw a TypeError that names it.
    compileIpList(staticList, 'options.denyList');
    // Else find the bad synced entries one by one, report them and build without them.
    const good = targets.filter((target) => {
      try {
        createIpMatcher([target]);
        return true;
      } catch (error) {
        onError(new Error(`deny list entry ${JSON.stringify(target.value)} skipped: not an IP or CIDR`, { cause: error }));
        return false;
      }
    });
    return good.length === 0 ? null : createIpMatcher(good);
  }
}
