import { describe, expect, it } from 'vitest';
import { buildGeoRanges, createGeoLookup } from './lookup.js';
import { parseIp } from '../ip/parse.js';
import { isSpecialAddress } from './special.js';

describe('createGeoLookup', () => {
  const ranges = buildGeoRanges([
    // deliberately out of order: the builder sorts
    { start: '1.1.1.0', end: '1.1.1.255', country: 'AU' },
    { start: '1.0.0.0', end: '1.0.0.255', country: 'jp' },
    { start: '2.2.2.0', end: '2.2.2.127', country: 'DE' },
    { start: '2a00:db8::', end: '2a00:db8:ffff:ffff:ffff:ffff:ffff:ffff', country: 'FR' },
    { start: '2001:db9::', end: '2001:db9::ff', country: 'NL' },
    { start: 'efff:ffff::', end: 'efff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', country: 'US' },
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
    ['inside a later range', '1.1.1.9', 'AU'],
    ['in a gap inside a /24', '2.2.2.200', null],
    ['after every range', '255.255.255.255', null],
    ['mapped IPv6', '::ffff:1.0.0.9', 'JP'],
    ['IPv6 start', '2a00:db8::', 'FR'],
    ['IPv6 inside', '2a00:db8:1234::1', 'FR'],
    ['IPv6 end', '2a00:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'FR'],
    ['IPv6 small range', '2001:db9::80', 'NL'],
    ['IPv6 just past small range', '2001:db9::100', null],
    ['IPv6 top of the last range', 'efff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'US'],
    ['IPv6 not covered', '2002::1', null],
    ['unknown country skipped', '10.1.2.3', null],
    ['malformed', '1.0.0', null],
  ])('%s: %s → %s', (_name, ip, country) => {
    expect(geo(ip)).toBe(country);
  });

  it('accepts an address parsed by the caller', () => {
    expect(geo(parseIp('2a00:db8::1')!)).toBe('FR');
  });

  it('returns null for a family it has no ranges for', () => {
    const v4only = createGeoLookup({ v4: ranges.v4 });
    expect(v4only('2a00:db8::1')).toBeNull();
    expect(v4only('1.0.0.1')).toBe('JP');
  });
});

describe('createGeoLookup across /16 boundaries (the IPv4 index)', () => {
  const geo = createGeoLookup(
    buildGeoRanges([
      { start: '1.0.0.0', end: '1.0.0.9', country: 'AD' },
      { start: '1.0.128.0', end: '1.3.0.255', country: 'JP' }, // spans into three later /16s
      { start: '1.3.1.0', end: '1.3.1.255', country: 'KR' },
      { start: '11.255.255.255', end: '12.0.0.0', country: 'CN' }, // two addresses, two /16s
      { start: '223.255.255.0', end: '223.255.255.255', country: 'US' },
    ]),
  );

  it.each([
    ['the first address of the first range', '1.0.0.0', 'AD'],
    ['a /16 no range starts in, covered from an earlier one', '1.1.0.0', 'JP'],
    ['the end of the spanning range, in a /16 where another starts', '1.3.0.255', 'JP'],
    ['the range starting in that /16', '1.3.1.7', 'KR'],
    ['after both, same /16', '1.3.2.0', null],
    ['before the spanning range, same /16 as its start', '1.0.127.255', null],
    ['the last address of a /16', '11.255.255.255', 'CN'],
    ['the first address of the next /16', '12.0.0.0', 'CN'],
    ['past it', '12.0.0.1', null],
    ['an empty /16 far from any range', '100.64.0.1', null],
    ['the last unicast address', '223.255.255.255', 'US'],
  ])('%s: %s → %s', (_name, ip, country) => {
    expect(geo(ip)).toBe(country);
  });

  it('answers as a scan of every range does, for random ranges and addresses', () => {
    let state = 42;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const word = () => Math.floor(random() * 2 ** 32);
    const dotted = (w: number) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].join('.');
    const rows: Array<{ start: number; end: number; country: string }> = [];
    let at = 0;
    while (rows.length < 2_000) {
      // Gaps and lengths from a few addresses to several /16s, so ranges both fit in and span /16s.
      const start = at + Math.floor(random() ** 3 * 2 ** 22);
      const end = start + Math.floor(random() ** 3 * 2 ** 19);
      if (end >= 2 ** 32) break;
      rows.push({ start, end, country: String.fromCharCode(65 + (rows.length % 26), 65 + ((rows.length * 7) % 26)) });
      at = end + 1;
    }
    const lookup = createGeoLookup(
      buildGeoRanges(rows.map((r) => ({ start: dotted(r.start), end: dotted(r.end), country: r.country }))),
    );
    const probes = [
      ...rows.flatMap((r) => [r.start - 1, r.start, r.end, r.end + 1]),
      ...Array.from({ length: 5_000 }, word),
    ];
    const scan = (w: number) =>
      isSpecialAddress({ family: 4, words: [w] })
        ? null
        : (rows.find((r) => r.start <= w && w <= r.end)?.country ?? null);
    const wrong = probes.filter((w) => w >= 0 && w < 2 ** 32 && lookup(dotted(w)) !== scan(w));
    expect(rows.length).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });
});
