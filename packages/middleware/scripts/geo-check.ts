/**
 * Checks the installed GeoIP data package after a refresh: version, ranges per family, load
 * time, and a few lookups. Run: `npx tsx scripts/geo-check.ts [IP...]`. Exits non-zero when the
 * data does not load, so a bad bump fails loudly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createGeoLookup } from '../src/core/geo/lookup.js';
import { GEO_DATA_PACKAGE, readGeoRanges } from '../src/node/geo.js';
import { dirname } from 'node:path';

const manifest = createRequire(import.meta.url).resolve(`${GEO_DATA_PACKAGE}/package.json`);
const { version, license } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; license: string };
const cpu = process.cpuUsage();
const started = performance.now();
const ranges = readGeoRanges(dirname(manifest));
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const geo = createGeoLookup(ranges);
console.log(`${GEO_DATA_PACKAGE}@${version} (${license})`);
console.log(`IPv4 ranges: ${ranges.v4?.countries.length ?? 0}, IPv6 ranges: ${ranges.v6?.countries.length ?? 0}`);
console.log(`load: ${wallMs.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU`);
const samples = process.argv.slice(2);
for (const ip of samples.length > 0
  ? samples
  : ['1.1.1.1', '8.8.8.8', '133.242.0.1', '2a00:1450:4001::1', '10.0.0.1']) {
  console.log(`${ip} → ${geo(ip) ?? 'null'}`);
}
if ((ranges.v4?.countries.length ?? 0) < 100_000 || (ranges.v6?.countries.length ?? 0) < 50_000) {
  console.error('fewer ranges than expected: is this the right package?');
  process.exit(1);
}
