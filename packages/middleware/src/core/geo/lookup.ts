import { parseIp, type ParsedIp } from '../ip/parse.js';
import { normalizeCountry } from './country.js';
import { isSpecialAddress } from './special.js';

/**
 * Country ranges of one family, sorted by start and not overlapping. Addresses are stored as
 * big-endian 32-bit words: one per address for IPv4, four for IPv6. `countries[i]` packs the
 * two letters of range `i` as `(first << 8) | second` (char codes).
 */
export interface GeoFamilyRanges {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly countries: Uint16Array;
}

/** Country ranges of both families, as built by `buildGeoRanges` or a loader. */
export interface GeoRanges {
  readonly v4?: GeoFamilyRanges;
  readonly v6?: GeoFamilyRanges;
}

/** A country lookup: an ISO 3166-1 alpha-2 code, or `null` when the address is not covered. */
export type GeoLookup = (ip: string | ParsedIp) => string | null;

/** One row of a country table: an inclusive range of addresses and its country code. */
export interface GeoRow {
  readonly start: string;
  readonly end: string;
  readonly country: string;
}

/**
 * Builds a country lookup over sorted ranges: a binary search per lookup, with no allocation
 * beyond parsing text. Addresses of special-purpose blocks (`SPECIAL_RANGES`: private, loopback,
 * link-local, CGNAT, documentation, multicast, reserved, ULA...) are never given a country.
 * Runtime-neutral; Node code loads the ranges from disk with
 * `loadGeoLookup` from `@watchpost/middleware/node`.
 *
 * @example
 * const geo = createGeoLookup(buildGeoRanges([{ start: '1.0.16.0', end: '1.0.31.255', country: 'JP' }]));
 * geo('1.0.16.77'); // 'JP'
 * geo('8.8.8.8'); // null (not in the table)
 */
export function createGeoLookup(ranges: GeoRanges): GeoLookup {
  const v4 = ranges.v4;
  const v6 = ranges.v6;
  const v4Index = v4 === undefined ? null : indexBy16(v4.starts);
  const names = new Map<number, string>();
  const nameOf = (packed: number): string | null => {
    let name = names.get(packed);
    if (name === undefined) {
      name = String.fromCharCode(packed >>> 8, packed & 255);
      names.set(packed, name);
    }
    return name;
  };
  return function geoLookup(ip: string | ParsedIp): string | null {
    const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
    // Private, documentation, multicast... space has no country, even where a table gives one.
    if (parsed === null || parsed === undefined || isSpecialAddress(parsed)) return null;
    if (parsed.family === 4) {
      if (v4 === undefined || v4Index === null) return null;
      const index = findV4(v4, v4Index, parsed.words[0] as number);
      return index === -1 ? null : nameOf(v4.countries[index] as number);
    }
    if (v6 === undefined) return null;
    const index = findV6(v6, parsed.words);
    return index === -1 ? null : nameOf(v6.countries[index] as number);
  };
}

/**
 * For each /16, the index of the first IPv4 range that starts in it or later (`index[65536]` is
 * the range count). A lookup then searches only its own /16's ranges and the one before them:
 * in the pinned data, 7 steps on average (weighted by ranges) instead of 18 over all 334,000,
 * so fewer cache misses. (IPv6 ranges crowd into a few /16s, where such an index gains little.)
 */
function indexBy16(starts: Uint32Array): Uint32Array {
  const count = starts.length;
  const index = new Uint32Array(65_537);
  let range = 0;
  for (let prefix = 0; prefix < 65_536; prefix++) {
    while (range < count && (starts[range] as number) >>> 16 < prefix) range++;
    index[prefix] = range;
  }
  index[65_536] = count;
  return index;
}

function findV4(ranges: GeoFamilyRanges, index: Uint32Array, address: number): number {
  const { starts, ends } = ranges;
  const prefix = address >>> 16;
  // Ranges from the next /16 on start above the address; the last one starting before this
  // /16 may still cover it, so the window opens one range early.
  let low = Math.max(0, (index[prefix] as number) - 1);
  let high = (index[prefix + 1] as number) - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) <= address) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found !== -1 && address <= (ends[found] as number) ? found : -1;
}

/** Compares the four words at `array[offset..]` with `words`: negative, zero or positive. */
function compareV6(array: Uint32Array, offset: number, words: readonly number[]): number {
  for (let w = 0; w < 4; w++) {
    const diff = (array[offset + w] as number) - (words[w] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

function findV6(ranges: GeoFamilyRanges, words: readonly number[]): number {
  const { starts, ends } = ranges;
  let low = 0;
  let high = starts.length / 4 - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compareV6(starts, middle * 4, words) <= 0) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found !== -1 && compareV6(ends, found * 4, words) >= 0 ? found : -1;
}

/**
 * Packs rows of text ranges (either family, any order) into `GeoRanges`. Rows with a
 * malformed address, mixed families, a start after the end, or no usable country are skipped
 * and counted in `skipped`.
 *
 * @example
 * const ranges = buildGeoRanges([{ start: '2001:db8::', end: '2001:db8::ffff', country: 'de' }]);
 * createGeoLookup(ranges)('2001:db8::1'); // 'DE'; ranges.skipped is 0
 */
export function buildGeoRanges(rows: Iterable<GeoRow>): GeoRanges & { skipped: number } {
  const v4: Array<[number[], number[], number]> = [];
  const v6: Array<[number[], number[], number]> = [];
  let skipped = 0;
  for (const row of rows) {
    const start = parseIp(row.start);
    const end = parseIp(row.end);
    const country = normalizeCountry(row.country);
    if (start === null || end === null || country === null || start.family !== end.family) {
      skipped++;
      continue;
    }
    const packed = (country.charCodeAt(0) << 8) | country.charCodeAt(1);
    if (compareWords(start.words, end.words) > 0) {
      skipped++;
      continue;
    }
    (start.family === 4 ? v4 : v6).push([[...start.words], [...end.words], packed]);
  }
  return { v4: pack(v4, 1), v6: pack(v6, 4), skipped };
}

function compareWords(a: readonly number[], b: readonly number[]): number {
  for (let w = 0; w < a.length; w++) {
    const diff = (a[w] as number) - (b[w] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

function pack(rows: Array<[number[], number[], number]>, width: number): GeoFamilyRanges {
  rows.sort((a, b) => compareWords(a[0], b[0]));
  const starts = new Uint32Array(rows.length * width);
  const ends = new Uint32Array(rows.length * width);
  const countries = new Uint16Array(rows.length);
  rows.forEach(([start, end, country], index) => {
    starts.set(start, index * width);
    ends.set(end, index * width);
    countries[index] = country;
  });
  return { starts, ends, countries };
}
