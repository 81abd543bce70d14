import { describe, expect, it } from 'vitest';
import { formatIp } from '../ip/parse.js';
import { parseHop } from './hop.js';

describe('parseHop', () => {
  it.each([
    ['bare IPv4', '203.0.113.7', false, '203.0.113.7'],
    ['spaces around', '  203.0.113.7 ', false, '203.0.113.7'],
    ['IPv4 with port', '203.0.113.7:4711', false, '203.0.113.7'],
    ['bare IPv6', '2001:db8::7', false, '2001:db8::7'],
    ['bracketed IPv6', '[2001:db8::7]', false, '2001:db8::7'],
    ['bracketed IPv6 with port', '[2001:db8::7]:443', false, '2001:db8::7'],
    ['mapped IPv4 socket address', '::ffff:10.0.0.1', false, '10.0.0.1'],
    ['CloudFront IPv4', '198.51.100.10:46532', true, '198.51.100.10'],
    ['CloudFront IPv6 without brackets', '2001:db8:85a3::8a2e:370:7334:46532', true, '2001:db8:85a3::8a2e:370:7334'],
    ['CloudFront without port', '198.51.100.10', true, '198.51.100.10'],
  ])('%s: %j', (_name, text, portWithoutBrackets, ip) => {
    const hop = parseHop(text, { portWithoutBrackets });
    expect(hop && formatIp(hop)).toBe(ip);
  });

  it.each([
    ['empty', ''],
    ['unknown (RFC 7239)', 'unknown'],
    ['obfuscated (RFC 7239)', '_hidden'],
    ['bad port', '203.0.113.7:http'],
    ['port too long', '203.0.113.7:123456'],
    ['junk after bracket', '[2001:db8::7]x'],
    ['unclosed bracket', '[2001:db8::7'],
    ['hostname with port', 'example.com:80'],
    ['IPv6-looking junk with port', '2001:db8::zz:80'],
  ])('%s is null', (_name, text) => {
    expect(parseHop(text)).toBeNull();
  });

  it('returns null for a missing header', () => {
    expect(parseHop(null)).toBeNull();
    expect(parseHop(undefined)).toBeNull();
  });
});
