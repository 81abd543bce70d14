import { describe, expect, it } from 'vitest';
import { clientKey } from './group.js';

describe('clientKey', () => {
  it.each([
    ['IPv4 stands alone', '192.0.2.7', {}, '192.0.2.7'],
    ['mapped IPv4 is IPv4', '::ffff:192.0.2.7', {}, '192.0.2.7'],
    ['IPv6 grouped by /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', {}, '2001:db8:1:2::/64'],
    ['same /64 same key', '2001:db8:1:2::1', {}, '2001:db8:1:2::/64'],
    ['IPv6 /48', '2001:db8:1:2::1', { ipv6Prefix: 48 }, '2001:db8:1::/48'],
    ['IPv6 /128 is the address', '2001:db8::1', { ipv6Prefix: 128 }, '2001:db8::1'],
    ['IPv4 /24 on request', '192.0.2.7', { ipv4Prefix: 24 }, '192.0.2.0/24'],
    ['not an IP returned as is', 'unknown', {}, 'unknown'],
  ])('%s', (_name, ip, options, key) => {
    expect(clientKey(ip, options)).toBe(key);
  });

  it('names a bad prefix', () => {
    expect(() => clientKey('::1', { ipv6Prefix: 129 })).toThrow(/ipv6Prefix 129/);
  });
});
