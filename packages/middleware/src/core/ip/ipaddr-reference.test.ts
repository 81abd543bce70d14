import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { createIpMatcher } from './matcher.js';
import { normalizeIp, parseIp } from './parse.js';

// Property tests against ipaddr.js 2.5.0 as the reference implementation.

const v4Word = fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 0xffffffff, 0x7f000001, 0xc0000201));
const dotted = (w: number) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].join('.');
// IPv6 bytes with long zero runs often, so that every compression case comes up.
const v6Bytes = fc.array(
  fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 255 }) }),
  { minLength: 16, maxLength: 16 },
);
const v6 = (bytes: number[]) => ipaddr.fromByteArray(bytes) as ipaddr.IPv6;

/** What normalizeIp should answer, per ipaddr.js: mapped IPv6 as IPv4, else RFC 5952. */
function expected(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === 'ipv4') return address.toString();
  const six = address as ipaddr.IPv6;
  return six.isIPv4MappedAddress() ? six.toIPv4Address().toString() : six.toRFC5952String();
}

describe('parseIp and normalizeIp against ipaddr.js', () => {
  it('read every dotted IPv4 as ipaddr.js does', () => {
    fc.assert(
      fc.property(v4Word, (w) => {
        expect(normalizeIp(dotted(w))).toBe(ipaddr.parse(dotted(w)).toString());
        expect(parseIp(dotted(w))?.words).toEqual([w]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('read every IPv6 spelling (full, zero-padded, compressed, upper case, mapped) as ipaddr.js does', () => {
    fc.assert(
      fc.property(v6Bytes, fc.boolean(), (bytes, mapped) => {
        if (mapped) bytes.splice(0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
        const address = v6(bytes);
        for (const text of [
          address.toNormalizedString(),
          (address as unknown as { toFixedLengthString(): string }).toFixedLengthString(),
          address.toRFC5952String(),
          address.toRFC5952String().toUpperCase(),
        ]) {
          expect(normalizeIp(text)).toBe(expected(ipaddr.parse(text)));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('accept nothing ipaddr.js refuses, and agree on what both accept', () => {
    const text = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.'), maxLength: 45 });
    fc.assert(
      fc.property(text, (s) => {
        const ours = normalizeIp(s);
        if (ours !== null) {
          expect(ipaddr.isValid(s)).toBe(true);
          expect(ours).toBe(expected(ipaddr.parse(s)));
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('createIpMatcher against ipaddr.js match()', () => {
  const v4Cidr = fc.tuple(v4Word, fc.nat({ max: 32 })).map(([w, bits]) => `${dotted(w)}/${bits}`);
  const v6Cidr = fc.tuple(v6Bytes, fc.nat({ max: 128 })).map(([b, bits]) => `${v6(b).toRFC5952String()}/${bits}`);

  /** Longest prefix containing the probe, the first entry among equal blocks; null when none. */
  function reference(entries: string[], probe: string): string | null {
    const address = ipaddr.parse(probe);
    let best: string | null = null;
    let bestBits = -1;
    for (const entry of entries) {
      const [network, bits] = ipaddr.parseCIDR(entry);
      if (network.kind() !== address.kind() || bits <= bestBits) continue;
      if (address.match(network, bits)) {
        best = entry;
        bestBits = bits;
      }
    }
    return best;
  }

  it('finds the same entry for any list of CIDRs and any address, near them or not', () => {
    // Probes: random addresses and the entries' own networks with low bits changed (often inside).
    const probeOf = (entries: string[]) =>
      fc.oneof(
        v4Word.map(dotted),
        v6Bytes.map((b) => v6(b).toRFC5952String()),
        fc.tuple(fc.nat({ max: Math.max(0, entries.length - 1) }), fc.nat({ max: 255 })).map(([i, low]) => {
          const network = ipaddr.parseCIDR(entries[i]!)[0];
          const bytes = network.toByteArray();
          bytes[bytes.length - 1] = low;
          return ipaddr.fromByteArray(bytes).toString();
        }),
      );
    // An IPv4-mapped block (::ffff:0:0/96 and longer) is IPv4 to our parser, IPv6 to ipaddr.js: left out.
    const entries = fc
      .array(fc.oneof(v4Cidr, v6Cidr), { minLength: 1, maxLength: 30 })
      .map((list) => list.filter((e) => !isMappedCidr(e)))
      .filter((list) => list.length > 0);
    fc.assert(
      fc.property(
        entries.chain((list) => fc.tuple(fc.constant(list), fc.array(probeOf(list), { minLength: 1, maxLength: 20 }))),
        ([list, probes]) => {
          const matcher = createIpMatcher(list);
          for (const probe of probes) {
            if (ipaddr.parse(probe).kind() === 'ipv6' && (ipaddr.parse(probe) as ipaddr.IPv6).isIPv4MappedAddress())
              continue;
            expect(matcher.match(probe)).toBe(reference(list, probe));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

function isMappedCidr(entry: string): boolean {
  const [network, bits] = ipaddr.parseCIDR(entry);
  return network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96;
}
