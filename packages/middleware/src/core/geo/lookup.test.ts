import { describe, expect, it } from 'vitest';
import { buildGeoRanges, createGeoLookup } from './lookup.js';
import { parseIp } from '../ip/parse.js';

describe('createGeoLookup', () => {
  const ranges = buildGeoRanges([
    // deliberately out of order: the builder sorts
    { start: '203.0.113.0', end: '203.0.113.255', country: 'AU' },
    { start: '1.0.0.0', end: '1.0.0.255', country: 'jp' },
    { start: '198.51.100.0', end: '198.51.100.127', country: 'DE' },
    { start: '2001:db8::', end: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', country: 'FR' },
    { start: '2001:db9::', end: '2001:db9::ff', country: 'NL' },
    { start: 'ffff:ffff::', end: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', country: 'US' },
    // skipped rows
    { start: '10.0.0.0', end: '10.255.255.255', country: 'XX' },
    { start: 'nonsense', end: '1.2.3.4', country: 'JP' },
    { start: '5.0.0.0', end: '4.0.0.0', country: 'JP' },
    { start: '6.0.0.0', end: '::1', country: 'JP' },
  ]);
  const geo = createGeoLookup(ranges);

  it('skips rows it cannot use', () => {
    expect(ranges.skipped).toBe(4);
  });

  it.each([
    ['first address', '1.0.0.0', 'JP'],
    ['last address', '1.0.0.255', 'JP'],
    ['just after a range', '1.0.1.0', null],
    ['before every range', '0.255.255.255', null],
    ['inside a later range', '203.0.113.9', 'AU'],
    ['in a gap inside a /24', '198.51.100.200', null],
    ['after every range', '255.255.255.255', null],
    ['mapped IPv6', '::ffff:1.0.0.9', 'JP'],
    ['IPv6 start', '2001:db8::', 'FR'],
    ['IPv6 inside', '2001:db8:1234::1', 'FR'],
    ['IPv6 end', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'FR'],
    ['IPv6 small range', '2001:db9::80', 'NL'],
    ['IPv6 just past small range', '2001:db9::100', null],
    ['IPv6 top of the space', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'US'],
    ['IPv6 not covered', '2002::1', null],
    ['unknown country skipped', '10.1.2.3', null],
    ['malformed', '1.0.0', null],
  ])('%s: %s → %s', (_name, ip, country) => {
    expect(geo(ip)).toBe(country);
  });

  it('accepts an address parsed by the caller', () => {
    expect(geo(parseIp('2001:db8::1')!)).toBe('FR');
  });

  it('returns null for a family it has no ranges for', () => {
    const v4only = createGeoLookup({ v4: ranges.v4 });
    expect(v4only('2001:db8::1')).toBeNull();
    expect(v4only('1.0.0.1')).toBe('JP');
  });
});
