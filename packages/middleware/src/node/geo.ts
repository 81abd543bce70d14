import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createGeoLookup, type GeoFamilyRanges, type GeoLookup, type GeoRanges } from '../core/geo/lookup.js';
import { normalizeCountry } from '../core/geo/country.js';
import { parseIp, type ParsedIp } from '../core/ip/parse.js';

/** The npm package that ships the country table (CC0 packaging of CC BY 4.0 NRO data). */
export const GEO_DATA_PACKAGE = '@ip-location-db/geo-whois-asn-country';
const V4_FILE = 'geo-whois-asn-country-ipv4-num.csv';
const V6_FILE = 'geo-whois-asn-country-ipv6.csv';

/** Options of `loadGeoLookup`. */
export interface LoadGeoLookupOptions {
  /** Folder holding the two CSV files. Default: the installed data package. */
  dataDir?: string;
  /** Called once when the data cannot be loaded (lookups then return null). Default `console.warn`. */
  warn?: (message: string) => void;
}

/** A lazily loaded country lookup. */
export interface LazyGeoLookup extends GeoLookup {
  /** Loads now instead of on the first lookup; true when the table is there. */
  load(): boolean;
}

/**
 * A country lookup over the offline table of `@ip-location-db/geo-whois-asn-country`. Nothing
 * is read until the first lookup (or `load()`), which parses about 550,000 ranges in well
 * under a second. If the files are missing or unreadable, it warns once and every lookup
 * returns `null`; it never throws into a request.
 *
 * @example
 * import { loadGeoLookup } from '@watchpost/middleware/node';
 * const geo = loadGeoLookup();
 * geo.load();          // optional: pay the cost at start-up
 * geo('1.0.16.1');     // 'JP' (per the installed table)
 */
export function loadGeoLookup({ dataDir, warn = console.warn }: LoadGeoLookupOptions = {}): LazyGeoLookup {
  let lookup: GeoLookup | undefined;
  const load = (): boolean => {
    if (lookup !== undefined) return lookup !== missing;
    try {
      const dir = dataDir ?? dirname(createRequire(import.meta.url).resolve(`${GEO_DATA_PACKAGE}/package.json`));
      lookup = createGeoLookup(readGeoRanges(dir));
      return true;
    } catch (error) {
      lookup = missing;
      const missingPackage = dataDir === undefined && (error as { code?: string }).code === 'MODULE_NOT_FOUND';
      warn(
        missingPackage
          ? `watchpost: countries fall back to null: install ${GEO_DATA_PACKAGE} (an optional peer dependency, ` +
              `~47 MB) for the offline GeoIP table, or pass geo: false`
          : `watchpost: GeoIP data not loaded, countries fall back to null (${(error as Error).message})`,
      );
      return false;
    }
  };
  const geoLookup = (ip: string | ParsedIp): string | null => {
    if (lookup === undefined) load();
    return (lookup as GeoLookup)(ip);
  };
  return Object.assign(geoLookup, { load });
}

const missing: GeoLookup = () => null;

/**
 * Reads the two CSV files of the data package from `dir` into packed ranges. Throws when a
 * file is missing or out of order.
 *
 * @example
 * const ranges = readGeoRanges('/srv/geo'); // holds geo-whois-asn-country-ipv4-num.csv and -ipv6.csv
 */
export function readGeoRanges(dir: string): GeoRanges {
  return {
    v4: parseRanges(join(dir, V4_FILE), 1, readV4Number),
    v6: parseRanges(join(dir, V6_FILE), 4, readV6Text),
  };
}

/** Writes the decimal IPv4 number in csv[start, end) to out[offset]; false when malformed. */
function readV4Number(csv: string, start: number, end: number, out: Uint32Array, offset: number): boolean {
  if (end <= start || end - start > 10) return false;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = csv.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  if (value > 0xffffffff) return false;
  out[offset] = value;
  return true;
}

/** Writes the IPv6 text in csv[start, end) as four words at out[offset]; false when malformed. */
function readV6Text(csv: string, start: number, end: number, out: Uint32Array, offset: number): boolean {
  const ip = parseIp(csv.slice(start, end));
  if (ip === null) return false;
  if (ip.family === 6) out.set(ip.words, offset);
  // The table writes ::ffff:0:0/96 as IPv6; parseIp reads it as IPv4. Keep the 128-bit form.
  else out.set([0, 0, 0xffff, ip.words[0] as number], offset);
  return true;
}

type ReadAddress = (csv: string, start: number, end: number, out: Uint32Array, offset: number) => boolean;

/**
 * How much of a file is read at a time (the files are 8 and 13 MB, and were read whole). Each chunk
 * becomes a string: at 64 KiB those die young; at 1 MiB they went to V8's large-object space and
 * left the process 35 MB larger than reading the files whole.
 */
const CHUNK_BYTES = 1 << 16;

/**
 * Calls `onLine` with each line of a file (`text[start, end)`, without the line feed), reading
 * `chunkBytes` at a time, each chunk decoded as Latin-1 text once. Throws on a line longer than that.
 */
function forEachLine(
  path: string,
  chunkBytes: number,
  onLine: (text: string, start: number, end: number) => void,
): void {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  const fd = openSync(path, 'r');
  try {
    let kept = 0; // bytes of an unfinished line, moved to the chunk's start
    for (;;) {
      const read = readSync(fd, chunk, kept, chunkBytes - kept, null);
      const filled = kept + read;
      const text = chunk.toString('latin1', 0, filled);
      let position = 0;
      for (let lineEnd = text.indexOf('\n'); lineEnd !== -1; lineEnd = text.indexOf('\n', position)) {
        onLine(text, position, lineEnd);
        position = lineEnd + 1;
      }
      if (read === 0) {
        if (position < filled) onLine(text, position, filled); // a last line without a line feed
        return;
      }
      kept = filled - position;
      if (kept === chunkBytes) throw new Error(`a line longer than ${chunkBytes} bytes in ${path}`);
      chunk.copy(chunk, 0, position, filled);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses `start,end,CC` lines straight into typed arrays, checking order as it goes. The file is
 * read twice, a chunk at a time (once to count its lines): reading each whole as text made the
 * table's load peak ~20 MB higher than the table itself.
 */
export function parseRanges(
  path: string,
  width: number,
  readAddress: ReadAddress,
  chunkBytes = CHUNK_BYTES,
): GeoFamilyRanges {
  let lines = 0;
  forEachLine(path, chunkBytes, () => lines++);
  const starts = new Uint32Array(lines * width);
  const ends = new Uint32Array(lines * width);
  const countries = new Uint16Array(lines);
  let count = 0;
  forEachLine(path, chunkBytes, (csv, lineStart, end) => {
    const lineEnd = end > lineStart && csv.charCodeAt(end - 1) === 13 /* \r */ ? end - 1 : end;
    if (lineEnd === lineStart) return;
    if (count === lines) throw new Error(`${path} grew while it was read`);
    const first = csv.indexOf(',', lineStart);
    const second = first === -1 || first > lineEnd ? -1 : csv.indexOf(',', first + 1);
    const at = count * width;
    if (
      second === -1 ||
      second > lineEnd ||
      !readAddress(csv, lineStart, first, starts, at) ||
      !readAddress(csv, first + 1, second, ends, at)
    ) {
      throw new Error(`malformed line ${JSON.stringify(csv.slice(lineStart, Math.min(lineEnd, lineStart + 80)))}`);
    }
    const country = lineEnd - second === 3 ? normalizeCountry(csv.slice(second + 1, lineEnd)) : null;
    if (country === null) return; // a range with no known country is a miss anyway
    if (count > 0 && compareAt(starts, at, ends, at - width, width) <= 0) {
      // The table has a few nested ranges (a more specific entry inside a broader one, the
      // broader one's remainder listed again after it). The nested one wins: the previous
      // range is cut short, or dropped when nothing of it is left before this one.
      const order = compareAt(starts, at, starts, at - width, width);
      if (order < 0) throw new Error(`ranges out of order at line ${count + 1}`);
      if (order === 0) {
        starts.copyWithin(at - width, at, at + width);
        ends.copyWithin(at - width, at, at + width);
        count--;
      } else {
        ends.set(decrement(starts.subarray(at, at + width)), at - width);
      }
    }
    countries[count] = (country.charCodeAt(0) << 8) | country.charCodeAt(1);
    count++;
  });
  // Views, not copies: the few lines dropped are not worth a second table's worth of memory.
  return {
    starts: starts.subarray(0, count * width),
    ends: ends.subarray(0, count * width),
    countries: countries.subarray(0, count),
  };
}

/** Compares the `width` words at a[aAt..] with b[bAt..]. */
function compareAt(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number, width: number): number {
  for (let w = 0; w < width; w++) {
    const diff = (a[aAt + w] as number) - (b[bAt + w] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The address just before `words` (which is not all zeros). */
function decrement(words: ArrayLike<number>): number[] {
  const result = Array.from(words);
  for (let w = result.length - 1; w >= 0; w--) {
    if (result[w] !== 0) {
      result[w] = (result[w] as number) - 1;
      break;
    }
    result[w] = 0xffffffff;
  }
  return result;
}
