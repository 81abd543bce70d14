/**
 * How wide a deny-list entry may be without an explicit confirmation. `0.0.0.0/0` or `::/0`
 * (a typo, a copied example, a hostile admin script) would refuse every client of the site, so
 * entries broader than an IPv4 /8 (16.7 million addresses) or an IPv6 /16 need `"confirm": true`.
 * IPv4-mapped IPv6 blocks (`::ffff:0:0/96`) count as the IPv4 block they cover.
 */

/** Shortest prefix accepted without confirmation, per family. */
export const MIN_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/**
 * Why a normalised deny-list value (from `parseDenyValue`) needs a confirmation, or null.
 *
 * @example
 * broadPrefixProblem('0.0.0.0/0');    // '0.0.0.0/0 covers all of IPv4 ...; send "confirm": true ...'
 * broadPrefixProblem('10.0.0.0/8');   // null
 */
export function broadPrefixProblem(value: string): string | null {
  const slash = value.indexOf('/');
  if (slash === -1) return null;
  const address = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  let family: 'IPv4' | 'IPv6' = address.includes(':') ? 'IPv6' : 'IPv4';
  let bits = prefix;
  if (family === 'IPv6' && prefix >= 96 && isMapped(address)) {
    family = 'IPv4';
    bits = prefix - 96;
  }
  const min = family === 'IPv4' ? MIN_PREFIX.ipv4 : MIN_PREFIX.ipv6;
  if (bits >= min) return null;
  const share = bits === 0 ? `all of ${family}` : `1/${2 ** bits} of ${family}`;
  return (
    `${value} covers ${share} (shorter than /${min}): every client in it would be refused; send "confirm": ` +
    `true to add it anyway`
  );
}

/** Whether an IPv6 literal is in ::ffff:0:0/96; the URL parser writes it in canonical form. */
function isMapped(address: string): boolean {
  try {
    return new URL(`http://[${address}]/`).hostname.startsWith('[::ffff:');
  } catch {
    return false;
  }
}
