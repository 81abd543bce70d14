import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGeoLookup, parseRanges, readGeoRanges } from './geo.js';

const dir = mkdtempSync(join(tmpdir(), 'watchpost-geo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTable(folder: string, v4: string, v6: string): string {
  writeFileSync(join(folder, 'geo-whois-asn-country-ipv4-num.csv'), v4);
  writeFileSync(join(folder, 'geo-whois-asn-country-ipv6.csv'), v6);
  return folder;
}

describe('loadGeoLookup', () => {
  it('reads the two CSV files lazily and answers lookups', () => {
    // 16777216 = 1.0.0.0; a nested range (37405967) splits its parent, as in the real table.
    writeTable(
      dir,
      '16777216,16777471,JP\n37404672,37406207,DE\n37405967,37405967,BE\n37405968,37406207,DE\n50000000,50000010,XX\n',
      '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\r\n2001:db8::,2001:db8::ff,FR\r\n',
    );
    const warnings: string[] = [];
    const geo = loadGeoLookup({ dataDir: dir, warn: (message) => warnings.push(message) });
    expect(geo('1.0.0.1')).toBe('JP');
    expect(geo('2.58.197.15')).toBe('BE'); // 37405967
    expect(geo('2.58.197.14')).toBe('DE');
    expect(geo('2.58.197.16')).toBe('DE');
    expect(geo('2.58.191.255')).toBeNull(); // 37404671, just before the DE range
    expect(geo('2.250.240.128')).toBeNull(); // 50000000: country XX
    expect(geo('2001:200::1')).toBe('JP');
    expect(geo('2001:db8::100')).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('warns once and returns null when the data is missing', () => {
    const warnings: string[] = [];
    const geo = loadGeoLookup({ dataDir: join(dir, 'missing'), warn: (message) => warnings.push(message) });
    expect(geo('1.0.0.1')).toBeNull();
    expect(geo('8.8.8.8')).toBeNull();
    expect(geo.load()).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/GeoIP data not loaded/);
  });

  it.each([
    ['a malformed line', '16777216;16777471;JP\n'],
    ['ranges out of order', '16777472,16777600,JP\n16777216,16777471,JP\n'],
    ['a number too large', '16777216,4294967296,JP\n'],
  ])('rejects %s', (_name, v4) => {
    const folder = mkdtempSync(join(dir, 'bad-'));
    expect(() => readGeoRanges(writeTable(folder, v4, ''))).toThrow();
  });

  it('reads a file a chunk at a time, lines cut anywhere by the chunks', () => {
    const folder = mkdtempSync(join(dir, 'chunks-'));
    const v4 = Array.from({ length: 50 }, (_, i) => `${i * 100},${i * 100 + 99},${i % 2 ? 'DE' : 'JP'}`);
    const file = join(writeTable(folder, `${v4.join('\r\n')}\n\n`, ''), 'geo-whois-asn-country-ipv4-num.csv');
    const whole = readGeoRanges(folder).v4;
    expect(whole?.countries).toHaveLength(50);
    const read = (csv: string, start: number, end: number, out: Uint32Array, at: number) => {
      out[at] = Number(csv.slice(start, end));
      return true;
    };
    // Every chunk size from the longest line (14 bytes with its line end) up cuts lines elsewhere.
    for (const chunkBytes of [18, 19, 20, 23, 64, 1000]) {
      expect(parseRanges(file, 1, read, chunkBytes), `${chunkBytes}`).toEqual(whole);
    }
    expect(() => parseRanges(file, 1, read, 10)).toThrow(/a line longer than 10 bytes/);
    // A file that grows between the pass that counts its lines and the one that reads them.
    let appended = false;
    const growing = (csv: string, start: number, end: number, out: Uint32Array, at: number) => {
      if (!appended) appendFileSync(file, '\n9000,9099,FR\n9100,9199,IT');
      appended = true;
      return read(csv, start, end, out, at);
    };
    expect(() => parseRanges(file, 1, growing, 16)).toThrow(/grew while it was read/);
    // The last line needs no line feed.
    writeFileSync(file, '100,199,FR\n200,299,IT');
    expect(parseRanges(file, 1, read, 16).countries).toHaveLength(2);
  });

  it('loads the installed data package', () => {
    const geo = loadGeoLookup({ warn: (message) => expect.fail(message) });
    expect(geo.load()).toBe(true);
    expect(geo('8.8.8.8')).toMatch(/^[A-Z]{2}$/);
    expect(geo('2a00:1450:4001::1')).toMatch(/^[A-Z]{2}$/);
    expect(geo('10.0.0.1')).toBeNull(); // private space is in no table
    expect(geo('::1')).toBeNull();
  });

  it.each(['198.51.100.1', '203.0.113.200', '192.0.2.1', '2001:db8::1'])(
    'gives the documentation address %s no country, though the installed table maps two of those blocks to AU',
    (ip) => {
      expect(loadGeoLookup({ warn: (message) => expect.fail(message) })(ip)).toBeNull();
    },
  );
});
