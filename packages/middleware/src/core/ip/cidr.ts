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
  const masked = new Array<number>(words.length);
  for (let w = 0; w < words.length; w++) {
    const kept = prefix - w * 32;
    masked[w] =
      kept >= 32 ? (words[w] as number) : kept <= 0 ? 0 : ((words[w] as number) & (MASKS[kept] as number)) >>> 0;
  }
  return masked;
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
  // The prefix: 1 to 3 digits, no sign, no leading zero.
  const digits = text.length - slash - 1;
  if (digits < 1 || digits > 3 || (digits > 1 && text.charCodeAt(slash + 1) === 48)) return null;
  let prefix = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    prefix = prefix * 10 + digit;
  }
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
