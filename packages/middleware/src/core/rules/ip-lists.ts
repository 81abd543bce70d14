import type { DenyEntry } from '../../protocol/index.js';
import { parseCidr } from '../ip/cidr.js';
import { createIpMatcher, type IpMatcher } from '../ip/matcher.js';

/** An IP or CIDR given in options: plain text or `{ value }` (other fields are allowed and ignored). */
export type IpListInput = string | { readonly value: string };

/**
 * Compiles the allow list (or any static IP list) once; a malformed entry throws a TypeError
 * that names the option and the value.
 *
 * @example
 * compileIpList(['10.0.0.0/8'], 'options.allowList').match('10.1.2.3'); // { value: '10.0.0.0/8' }
 */
export function compileIpList(
  list: readonly IpListInput[] | undefined,
  where: string,
): IpMatcher<{ value: string }> | null {
  if (list === undefined || list.length === 0) return null;
  if (!Array.isArray(list))
    throw new TypeError(`${where} must be an array of IPs or CIDRs, got ${JSON.stringify(list)}`);
  const values = list.map((entry, i) => {
    const value = typeof entry === 'string' ? entry : entry?.value;
    if (typeof value !== 'string')
      throw new TypeError(`${where}[${i}] must be an IP or CIDR, got ${JSON.stringify(entry)}`);
    return { value };
  });
  try {
    return createIpMatcher(values);
  } catch (error) {
    // The matcher's TypeError names the value; add which option it came from.
    throw new TypeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Compiles the deny list served by the report API. It is kept apart from the static list, so an
 * update rebuilds only what changed. A malformed entry is skipped and reported, never fatal:
 * the API's list must not take the app down.
 *
 * @example
 * const synced = compileSyncedDenyList(entries, console.error);
 * synced?.match('198.51.100.7')?.source; // 'manual'
 */
export function compileSyncedDenyList(
  entries: readonly DenyEntry[],
  onError: (error: unknown) => void,
): IpMatcher<DenyEntry> | null {
  if (entries.length === 0) return null;
  try {
    return createIpMatcher(entries);
  } catch {
    // Rare: find the bad entries (what the matcher refuses is exactly what parseCidr cannot
    // read), report them and build without them.
    const good = entries.filter((entry) => {
      if (typeof entry?.value === 'string' && parseCidr(entry.value) !== null) return true;
      onError(new Error(`deny list entry ${JSON.stringify(entry?.value)} skipped: not an IP or CIDR`));
      return false;
    });
    return good.length === 0 ? null : createIpMatcher(good);
  }
}
