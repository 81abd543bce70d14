// One measurement in a fresh process, so peak RSS belongs to that measurement alone.
// Usage: tsx bench/import-worker.ts MODE FORMAT FILE   (MODE: read | parse | slurp | ingest | cli | cli-sampled)
// `cli` is what `watchpost import` does (SQLite, batches in flight, GeoIP when installed), in this
// process under tsx, for experiments (IMPORT_WRITER_THREAD=1, IMPORT_CACHE_KIB); `cli-sampled` the same
// with `--sample-rate 0.1`. import.bench.ts times the built CLI instead (tsx's loader adds to the RSS).
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadGeoLookup } from '@watchpost/middleware/node';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { createParseContext } from '../src/importers/context.js';
import { IMPORT_FORMATS, isImportFormat } from '../src/importers/formats.js';
import { storeIngest } from '../src/importers/ingest.js';
import { importFiles, importStream, openLogStream } from '../src/importers/stream.js';

const [mode, format, file] = process.argv.slice(2);
if (!mode || !format || !file || !isImportFormat(format))
  throw new TypeError('usage: import-worker.ts read|parse|slurp|ingest|cli|cli-sampled FORMAT FILE');
// Countries come from the log (WAF) or from the GeoIP table; IMPORT_BENCH_GEO=1 includes its
// lookups (as the CLI does), otherwise they are left out of the parser's cost.
const cli = mode === 'cli' || mode === 'cli-sampled';
const geo = process.env.IMPORT_BENCH_GEO === '1' || cli ? loadGeoLookup() : null;
if (geo && !geo.load() && !cli) throw new Error('IMPORT_BENCH_GEO=1 but the GeoIP table is not installed');
const context = createParseContext({ lookupCountry: geo ? (ip) => geo(ip) : () => null });
const started = performance.now();
const cpuStarted = process.cpuUsage();
let lines = 0;
let imported = 0;

if (mode === 'read') {
  // Baseline: the streaming reader alone, no parsing.
  for await (const _line of createInterface({
    input: await openLogStream(createReadStream(file)),
    crlfDelay: Infinity,
  }))
    lines++;
} else if (mode === 'parse') {
  const summary = await importStream(createReadStream(file), {
    siteId: 'bench',
    format,
    ingest: () => ({ duplicate: false }),
    context,
  });
  lines = summary.linesRead;
  imported = summary.imported;
} else if (mode === 'slurp') {
  // The naive alternative: the whole file in memory, then split and parse.
  const parse = IMPORT_FORMATS[format];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    lines++;
    if ('event' in parse(line, context)) imported++;
  }
} else if (mode === 'ingest') {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'watchpost-import-db-'));
  const store = openSqliteStore({ path: join(dir, 'bench.db') });
  try {
    const { site } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
    const summary = await importStream(createReadStream(file), {
      siteId: site.id,
      format,
      ingest: storeIngest(store),
      context,
    });
    lines = summary.linesRead;
    imported = summary.imported;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else if (cli) {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'watchpost-import-db-'));
  const path = join(dir, 'bench.db');
  const setup = openSqliteStore({ path });
  const { site } = await setup.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
  await setup.close();
  // As the CLI: no writer thread (IMPORT_WRITER_THREAD=1 compares it).
  const store = openSqliteStore({ path, writerThread: process.env.IMPORT_WRITER_THREAD === '1' });
  if (process.env.IMPORT_CACHE_KIB) store.db.pragma(`cache_size = -${Number(process.env.IMPORT_CACHE_KIB)}`);
  try {
    const summary = await importFiles([file], {
      siteId: site.id,
      format,
      ingest: storeIngest(store, { sampleRate: mode === 'cli' ? 1 : 0.1, statusUnknown: format === 'aws-waf' }),
      context,
    });
    lines = summary.linesRead;
    imported = summary.imported;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  throw new TypeError(`unknown mode ${mode}`);
}
const seconds = (performance.now() - started) / 1000;
// CPU time (user + system, all threads) says less about the other engineers' load than wall time.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    mode,
    format,
    lines,
    imported,
    seconds,
    cpuSeconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
