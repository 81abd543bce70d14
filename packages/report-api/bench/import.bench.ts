// Import benchmark: lines/s per format over generated 1M-line logs, with peak RSS.
// Run on demand: `npx tsx bench/import.bench.ts` in packages/report-api (never part of `test`).
// Environment: IMPORT_BENCH_LINES (default 1000000), IMPORT_BENCH_SMALL (default 250000),
// IMPORT_BENCH_INGEST_LINES (default = small size; the SQLite ingest is the slow part),
// IMPORT_BENCH_FORMATS (default aws-waf,alb,combined), IMPORT_BENCH_GEO=1 (include GeoIP lookups
// for ALB and combined, as the CLI does), BENCH_DIR (temp dir root), BENCH_KEEP=1.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { isImportFormat, type ImportFormat } from '../src/importers/formats.js';
import { generateLog } from './import-generate.js';

function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${name} must be a positive integer, got ${value}`);
  return n;
}

const LARGE = envInt('IMPORT_BENCH_LINES', 1_000_000);
const SMALL = envInt('IMPORT_BENCH_SMALL', 250_000);
const INGEST = envInt('IMPORT_BENCH_INGEST_LINES', SMALL);
const FORMATS = (process.env.IMPORT_BENCH_FORMATS ?? 'aws-waf,alb,combined').split(',').filter(isImportFormat);
const TARGETS: Record<ImportFormat, number> = { 'aws-waf': 50_000, alb: 100_000, combined: 100_000 };
const WORKER = fileURLToPath(new URL('./import-worker.ts', import.meta.url));
const WORKER_TIMEOUT_MS = 15 * 60_000;

interface Measurement {
  mode: string;
  format: string;
  lines: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
}

/** Runs one measurement in a fresh Node process (so its peak RSS is its own), bounded in time. */
function measure(mode: string, format: ImportFormat, file: string): Promise<Measurement | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode, format, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!) as Measurement);
      else resolve({ error: (err.match(/(RangeError|Error|TypeError)[^\n]*/)?.[0] ?? `exit ${code}`).slice(0, 90) });
    });
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`;

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'watchpost-import-bench-'));
if (process.env.BENCH_KEEP !== '1') process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

console.log(
  `import benchmark: ${fmt(LARGE)} and ${fmt(SMALL)} lines per format, ingest ${fmt(INGEST)} lines into SQLite`,
);
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (shared: compare ratios and lines per CPU-second)\n`,
);

const rows: string[] = [];
const summary: string[] = [];
const header = `${'format'.padEnd(9)} ${'run'.padEnd(22)} ${'lines'.padStart(10)} ${'wall s'.padStart(
  7,
)} ${'lines/s'.padStart(9)} ${'lines/CPU-s'.padStart(11)} ${'peak RSS'.padStart(9)}`;

for (const format of FORMATS) {
  const large = join(dir, `${format}-large.log`);
  const small = join(dir, `${format}-small.log`);
  const ingestFile = join(dir, `${format}-ingest.log`);
  await generateLog(format, LARGE, large);
  await generateLog(format, SMALL, small);
  if (INGEST !== SMALL) await generateLog(format, INGEST, ingestFile);
  const runs: Array<[string, string, string]> = [
    ['read', large, `read only, ${fmt(LARGE)}`],
    ['parse', small, `parse, ${fmt(SMALL)}`],
    ['parse', large, `parse, ${fmt(LARGE)}`],
    ['slurp', large, `slurp+parse, ${fmt(LARGE)}`],
  ];
  if (format === 'combined') {
    const gz = `${large}.gz`;
    await pipeline(createReadStream(large), createGzip({ level: 1 }), createWriteStream(gz));
    runs.push(['parse', gz, `parse .gz, ${fmt(LARGE)}`]);
  }
  runs.push(['ingest', INGEST !== SMALL ? ingestFile : small, `parse+ingest, ${fmt(INGEST)}`]);
  console.log(`${format}: ${mb(statSync(large).size)} for ${fmt(LARGE)} lines`);
  const results = new Map<string, Measurement>();
  for (const [mode, file, label] of runs) {
    const result = await measure(mode, format, file);
    if ('error' in result) {
      rows.push(`${format.padEnd(9)} ${label.padEnd(22)} failed: ${result.error}`);
      continue;
    }
    results.set(label, result);
    rows.push(
      `${format.padEnd(9)} ${label.padEnd(22)} ${fmt(result.lines).padStart(10)} ` +
        `${fmt(result.seconds, 2).padStart(7)} ${fmt(result.lines / result.seconds).padStart(9)} ` +
        `${fmt(result.lines / result.cpuSeconds).padStart(11)} ${`${fmt(result.maxRssMB)} MB`.padStart(9)}`,
    );
  }
  const big = results.get(`parse, ${fmt(LARGE)}`);
  const little = results.get(`parse, ${fmt(SMALL)}`);
  const read = results.get(`read only, ${fmt(LARGE)}`);
  const slurp = results.get(`slurp+parse, ${fmt(LARGE)}`);
  const ingest = results.get(`parse+ingest, ${fmt(INGEST)}`);
  if (big) {
    const wall = big.lines / big.seconds;
    const cpu = big.lines / big.cpuSeconds;
    summary.push(
      `${format}: parse ${fmt(wall)} lines/s wall, ${fmt(cpu)} per CPU-s (target ${fmt(TARGETS[format])}: ` +
        `${wall >= TARGETS[format] ? 'met' : 'missed'} by wall, ${cpu >= TARGETS[format] ? 'met' : 'missed'} by CPU)`,
    );
    if (little)
      summary.push(
        `  peak RSS ${fmt(little.maxRssMB)} MB at ${fmt(SMALL)} vs ${fmt(big.maxRssMB)} MB at ${fmt(LARGE)} ` +
          `lines: x${fmt(big.maxRssMB / little.maxRssMB, 2)}`,
      );
    if (read)
      summary.push(`  parsing costs x${fmt(big.cpuSeconds / read.cpuSeconds, 2)} the CPU of reading the lines alone`);
    if (slurp) {
      summary.push(
        `  slurp (whole file in memory, no hashing or batching) against stream: RSS ` +
          `x${fmt(slurp.maxRssMB / big.maxRssMB, 1)}, lines/CPU-s ` +
          `x${fmt(slurp.cpuSeconds > 0 ? big.cpuSeconds / slurp.cpuSeconds : 0, 2)}`,
      );
    } else summary.push('  slurp (whole file in memory): failed, see the table');
    if (ingest)
      summary.push(
        `  parse+ingest into SQLite: ${fmt(ingest.lines / ingest.seconds)} lines/s ` +
          `wall, ${fmt(ingest.lines / ingest.cpuSeconds)} per CPU-s, peak RSS ${fmt(ingest.maxRssMB)} MB`,
      );
  }
  rmSync(large, { force: true });
  rmSync(`${large}.gz`, { force: true });
}

console.log(`\n${header}\n${'-'.repeat(header.length)}\n${rows.join('\n')}\n`);
console.log(summary.join('\n'));
console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
