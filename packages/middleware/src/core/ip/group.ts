import { formatIp, parseIp, type ParsedIp } from './parse.js';
import { maskWords } from './cidr.js';

/** Options of `clientKey`. */
export interface ClientKeyOptions {
  /** IPv6 clients in the same block of this size count as one client (0..128). Default 64. */
  ipv6Prefix?: number;
  /** IPv4 clients in the same block of this size count as one client (0..32). Default 32. */
  ipv4Prefix?: number;
}

/**
 * The key under which a client is counted (bursts, bans). One host usually owns a whole IPv6
 * /64, so IPv6 addresses are grouped by their /64 by default: `2001:db8:1:2::/64`. IPv4
 * addresses stand for themselves. Text that is not an IP is returned unchanged, so counting
 * still works for whatever the caller had.
 *
 * @example
 * clientKey('2001:db8:1:2:aaaa::1');                  // '2001:db8:1:2::/64'
 * clientKey('2001:db8:1:2:aaaa::1', { ipv6Prefix: 48 }); // '2001:db8:1::/48'
 * clientKey('::ffff:192.0.2.7');                      // '192.0.2.7'
 */
export function clientKey(ip: string | ParsedIp, { ipv6Prefix = 64, ipv4Prefix = 32 }: ClientKeyOptions = {}): string {
  const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
  if (parsed === null) return ip as string;
  const prefix = parsed.family === 4 ? ipv4Prefix : ipv6Prefix;
  const width = parsed.family === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) {
    throw new TypeError(`clientKey: ipv${parsed.family}Prefix ${String(prefix)} is not an integer in 0..${width}`);
  }
  if (prefix === width) return formatIp(parsed);
  return `${formatIp({ family: parsed.family, words: maskWords(parsed.words, prefix) })}/${prefix}`;
}
