import { describe, expect, it } from 'vitest';
import { parseIp } from '../ip/parse.js';
import { buildGeoRanges, createGeoLookup } from './lookup.js';
import { isSpecialAddress } from './special.js';

// A table that gives every address of both families a country, as a careless GeoIP file might.
const everywhere = createGeoLookup(
  buildGeoRanges([
    { start: '0.0.0.0', end: '255.255.255.255', country: 'US' },
    { start: '::', end: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', country: 'US' },
  ]),
);

describe('GeoIP never gives special-purpose addresses a country', () => {
  it.each([
    ['documentation TEST-NET-1', '192.0.2.1'],
    ['documentation TEST-NET-2', '198.51.100.255'],
    ['documentation TEST-NET-3', '203.0.113.0'],
    ['documentation IPv6', '2001:db8::1'],
    ['documentation IPv6 (RFC 9637)', '3fff:fff::1'],
    ['"this network"', '0.1.2.3'],
    ['private 10/8', '10.255.0.1'],
    ['private 172.16/12, first', '172.16.0.0'],
    ['private 172.16/12, last', '172.31.255.255'],
    ['private 192.168/16', '192.168.1.1'],
    ['CGNAT 100.64/10, first', '100.64.0.0'],
    ['CGNAT 100.64/10, last', '100.127.255.255'],
    ['loopback', '127.0.0.1'],
    ['link-local', '169.254.169.254'],
    ['IETF protocol assignments', '192.0.0.8'],
    ['benchmarking', '198.19.0.1'],
    ['multicast', '224.0.0.251'],
    ['reserved 240/4', '250.1.2.3'],
    ['broadcast', '255.255.255.255'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['unspecified IPv6', '::'],
    ['loopback IPv6', '::1'],
    ['ULA fc00::/7', 'fd12:3456::1'],
    ['link-local IPv6', 'fe80::1'],
    ['multicast IPv6', 'ff02::1'],
    ['Teredo', '2001:0:4136:e378::1'],
    ['6to4', '2002:c000:201::1'],
    ['NAT64', '64:ff9b::808:808'],
    ['discard-only', '100::1'],
  ])('%s: %s → null', (_name, ip) => {
    expect(isSpecialAddress(parseIp(ip)!)).toBe(true);
    expect(everywhere(ip)).toBeNull();
  });

  it.each([
    ['just below CGNAT', '100.63.255.255'],
    ['just above CGNAT', '100.128.0.0'],
    ['just below 172.16/12', '172.15.255.255'],
    ['just above 172.16/12', '172.32.0.0'],
    ['between TEST-NET-1 and 6to4 relay', '192.0.3.1'],
    ['last unicast /8', '223.255.255.255'],
    ['public IPv4', '8.8.8.8'],
    ['public IPv6', '2606:4700::1111'],
    ['just above 2001::/23', '2001:200::1'],
    ['just above documentation IPv6', '2001:db9::1'],
  ])('%s: %s keeps its country', (_name, ip) => {
    expect(isSpecialAddress(parseIp(ip)!)).toBe(false);
    expect(everywhere(ip)).toBe('US');
  });
});
