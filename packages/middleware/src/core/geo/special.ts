import { parseCidr } from '../ip/cidr.js';
import type { ParsedIp } from '../ip/parse.js';

/**
 * Special-purpose blocks (IANA registries after RFC 6890, and multicast and reserved space):
 * addresses in them belong to no country, whatever a GeoIP table says.
 */
export const SPECIAL_RANGES: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // shared address space, CGNAT (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation, TEST-NET-1
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation, TEST-NET-2
  '203.0.113.0/24', // documentation, TEST-NET-3
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
  '::/128', // unspecified
  '::1/128', // loopback
  '64:ff9b::/96', // IPv4/IPv6 translation: the country is the embedded IPv4's, not this one's
  '64:ff9b:1::/48', // local-use translation
  '100::/64', // discard-only
  '2001::/23', // IETF protocol assignments (Teredo, ORCHID, AS112...)
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4
  '3fff::/20', // documentation (RFC 9637)
  '5f00::/16', // SRv6 SIDs
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
];

interface Block {
  words: readonly number[];
  masks: readonly number[];
}

function compile(family: 4 | 6): Block[] {
  return SPECIAL_RANGES.map((text) => parseCidr(text)!)
    .filter((cidr) => cidr.ip.family === family)
    .map((cidr) => ({
      words: cidr.ip.words,
      masks: cidr.ip.words.map((_, w) => {
        const kept = Math.min(32, Math.max(0, cidr.prefix - w * 32));
        return kept === 0 ? 0 : (0xffffffff << (32 - kept)) >>> 0;
      }),
    }));
}

const V4 = compile(4);
const V6 = compile(6);

/**
 * True when `ip` is in a special-purpose block of `SPECIAL_RANGES` (private, loopback,
 * link-local, CGNAT, documentation, multicast, reserved, ULA...). A few integer comparisons.
 *
 * @example
 * isSpecialAddress(parseIp('192.0.2.1')!); // true (documentation)
 * isSpecialAddress(parseIp('1.1.1.1')!);   // false
 */
export function isSpecialAddress(ip: ParsedIp): boolean {
  const blocks = ip.family === 4 ? V4 : V6;
  for (const block of blocks) {
    let inside = true;
    for (let w = 0; w < block.words.length && inside; w++) {
      inside = ((ip.words[w] as number) & (block.masks[w] as number)) >>> 0 === block.words[w];
    }
    if (inside) return true;
  }
  return false;
}
