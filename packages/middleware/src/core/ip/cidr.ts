import { parseIp, type ParsedIp } from './parse.js';

/** An address block: the network address (host bits cleared) and its prefix length. */
export interface Cidr {
  readonly ip: ParsedIp;
  readonly prefix: number;
}

/** `MASKS[n]` keeps the top `n` bits of a 32-bit word (n = 0..32), as signed 32-bit integers. */
export const MASKS: Int32Array = Int32Array.from({ length: 33 }, (_, n) => (n === 0 ? 0 : 0xffffffff << (32 - n)));

/** Clears every bit after the first `prefix` bits. */
export function maskWords(words: readonly number[], prefix: number): number[] {
  return words.map((word, index) => {
    const kept = Math.max(0, Math.min(32, prefix - index * 32));
    return (word & (MASKS[kept] as number)) >>> 0;
  });
}

/**
 * Parses `ip` or `ip/prefix` of either family. A single address is a /32 or /128. Host bits
 * set below the prefix (`10.0.0.5/24`) are cleared, as most firewalls do. An IPv4-mapped
 * IPv6 block of /96 or longer (`::ffff:10.0.0.0/104`) becomes the IPv4 block (`10.0.0.0/8`).
 * Malformed input gives `null`.
 *
 * @example
 * parseCidr('2001:db8::/32'); // { ip: { family: 6, words: [0x20010db8, 0, 0, 0] }, prefix: 32 }
 * parseCidr('10.0.0.5/24');   // { ip: { family: 4, words: [0x0a000000] }, prefix: 24 }
 */
export function parseCidr(text: string): Cidr | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash === -1) {
    const ip = parseIp(text);
    return ip === null ? null : { ip, prefix: ip.family === 4 ? 32 : 128 };
  }
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
  let prefix = Number(prefixText);
  const addressText = text.slice(0, slash);
  const ip = parseIp(addressText);
  if (ip === null) return null;
  // parseIp turns a mapped address into IPv4; the prefix was written against 128 bits.
  const writtenAsV6 = ip.family === 4 && addressText.includes(':');
  if (writtenAsV6) {
    if (prefix < 96 || prefix > 128) return null;
    prefix -= 96;
  }
  if (prefix > (ip.family === 4 ? 32 : 128)) return null;
  return { ip: { family: ip.family, words: maskWords(ip.words, prefix) }, prefix };
}
