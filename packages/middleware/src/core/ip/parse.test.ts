import { describe, expect, it } from 'vitest';
import { formatIp, normalizeIp, parseIp } from './parse.js';

describe('parseIp / normalizeIp', () => {
  it.each([
    ['plain IPv4', '192.0.2.1', 4, '192.0.2.1'],
    ['IPv4 zeros', '0.0.0.0', 4, '0.0.0.0'],
    ['IPv4 broadcast', '255.255.255.255', 4, '255.255.255.255'],
    ['full IPv6', '2001:0db8:0000:0000:0000:ff00:0042:8329', 6, '2001:db8::ff00:42:8329'],
    ['upper-case IPv6', '2001:DB8::1', 6, '2001:db8::1'],
    ['loopback', '::1', 6, '::1'],
    ['unspecified', '::', 6, '::'],
    ['trailing ::', '2001:db8::', 6, '2001:db8::'],
    ['leading zeros in groups', '2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['longest zero run compressed', '2001:0:0:1:0:0:0:1', 6, '2001:0:0:1::1'],
    ['first of equal runs compressed', '2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['single zero group not compressed', '2001:db8:0:1:1:1:1:1', 6, '2001:db8:0:1:1:1:1:1'],
    [':: standing for one group', '1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'],
    ['mapped IPv4', '::ffff:1.2.3.4', 4, '1.2.3.4'],
    ['mapped IPv4 in hex', '::ffff:c000:0201', 4, '192.0.2.1'],
    ['mapped IPv4 upper case', '::FFFF:10.0.0.1', 4, '10.0.0.1'],
    ['mapped IPv4 long form', '0:0:0:0:0:ffff:1.2.3.4', 4, '1.2.3.4'],
    ['IPv4-compatible stays IPv6', '::1.2.3.4', 6, '::102:304'],
    ['NAT64 stays IPv6', '64:ff9b::192.0.2.33', 6, '64:ff9b::c000:221'],
    ['zone id stripped', 'fe80::1%eth0', 6, 'fe80::1'],
    ['numeric zone id', 'fe80::abcd%3', 6, 'fe80::abcd'],
    ['brackets', '[::1]', 6, '::1'],
    ['brackets and zone', '[fe80::1%en0]', 6, 'fe80::1'],
    ['brackets around mapped', '[::ffff:127.0.0.1]', 4, '127.0.0.1'],
  ])('%s: %s', (_name, input, family, canonical) => {
    expect(parseIp(input)?.family).toBe(family);
    expect(normalizeIp(input)).toBe(canonical);
  });

  it.each([
    ['empty', ''],
    ['three octets', '1.2.3'],
    ['five octets', '1.2.3.4.5'],
    ['octet over 255', '256.1.1.1'],
    ['leading zero octet', '01.2.3.4'],
    ['empty octet', '1..2.3'],
    ['trailing dot', '1.2.3.4.'],
    ['leading space', ' 1.2.3.4'],
    ['trailing space', '1.2.3.4 '],
    ['inner space', '1.2. 3.4'],
    ['letters', 'a.b.c.d'],
    ['hostname', 'example.com'],
    ['negative', '-1.2.3.4'],
    ['mapped with bad IPv4', '::ffff:999.1.1.1'],
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['seven groups without ::', '1:2:3:4:5:6:7'],
    ['two ::', '1::2::3'],
    ['triple colon', ':::'],
    ['lone leading colon', ':1::2'],
    ['lone trailing colon', '1::2:'],
    ['group too long', '12345::1'],
    ['non-hex group', '2001:db8::g'],
    ['IPv4 not last', '1.2.3.4::'],
    ['IPv4 in the middle', '::1.2.3.4:5'],
    ['too many groups with IPv4', '1:2:3:4:5:6:7:1.2.3.4'],
    ['empty zone', 'fe80::1%'],
    ['zone on IPv4', '1.2.3.4%eth0'],
    ['brackets on IPv4', '[1.2.3.4]'],
    ['unclosed bracket', '[::1'],
    ['bracket with port', '[::1]:80'],
    ['IPv4 with port', '1.2.3.4:80'],
    ['CIDR is not an address', '10.0.0.0/8'],
    ['very long', '1'.repeat(200)],
  ])('%s: %j is null', (_name, input) => {
    expect(parseIp(input)).toBeNull();
    expect(normalizeIp(input)).toBeNull();
  });

  it.each([[undefined], [null], [42], [{}]])('non-string %j is null, not a throw', (input) => {
    expect(parseIp(input as unknown as string)).toBeNull();
  });

  it('keeps the address bits as big-endian 32-bit words', () => {
    expect(parseIp('192.0.2.1')).toEqual({ family: 4, words: [0xc0000201] });
    expect(parseIp('2001:db8::ffff:1')).toEqual({ family: 6, words: [0x20010db8, 0, 0, 0xffff0001] });
  });

  it('round-trips canonical text', () => {
    for (const text of [
      '10.1.2.3',
      '2001:db8:1:2:3:4:5:6',
      'fe80::',
      '0:0:0:2::',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]) {
      expect(formatIp(parseIp(text)!)).toBe(text);
    }
  });
});
