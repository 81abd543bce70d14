// Import benchmark: lines/s per format over generated 1M-line logs, with peak RSS.
// Run on demand: `npx tsx bench/import.bench.ts` in packages/report-api (never part of `test`).
// Environment: IMPORT_BENCH_LINES (default 1000000), IMPORT_BENCH_SMALL (default 250000),
// IMPORT_BENCH_INGEST_LINES (default = small size; the SQLite ingest is the slow part),
// IMPORT_BENCH_FORMATS (default aws-waf,alb,combined), IMPORT_BENCH_GEO=1 (include GeoIP lookups
// for ALB and combined, as the CLI does), BENCH_DIR (temp dir root), BENCH_KEEP=1.
// The import target: `import (CLI)` is the whole `watchpost import` path into SQLite (parse, validate,
// raw events, rollups) at both sizes, with --sample-rate 0.1, and lean (--sample-rate 0.1
// --single-thread, both sizes), run from the built CLI as a user runs it (`npm run build` first; tsx's
// loader would add tens of MB to the peak RSS); GoAccess (`apt-get install -y goaccess`) parses the
// same combined and ALB files in the same run, one after the other. Without GoAccess the comparison
// is skipped and says so.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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
/** GoAccess's predefined log format for the same file; AWS WAF JSON has none. */
const GOACCESS_FORMATS: Partial<Record<ImportFormat, string>> = { combined: 'COMBINED', alb: 'AWSALB' };
const TIME = '/usr/bin/time';
const goaccessVersion = (() => {
  const probe = spawnSync('goaccess', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? (probe.stdout.match(/GoAccess - (\d+(?:\.\d+)*)/)?.[1] ?? 'unknown') : null;
})();
const hasTime = spawnSync(TIME, ['-f', '%e', 'true']).status === 0;
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

/** Runs a command to its end (killed past WORKER_TIMEOUT_MS), collecting what it prints. */
function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Wall, CPU and peak RSS as `/usr/bin/time -f '@@ %e %U %S %M'` printed them, or null. */
function timeFigures(err: string): Pick<Measurement, 'seconds' | 'cpuSeconds' | 'maxRssMB'> | null {
  const figures = err.match(/@@ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/);
  if (!figures) return null;
  const [, wall, user, system, rssKb] = figures.map(Number) as [number, number, number, number, number];
  return { seconds: wall, cpuSeconds: user + system, maxRssMB: rssKb / 1024 };
}

/** Runs one measurement in a fresh Node process (so its peak RSS is its own), bounded in time. */
async function measure(mode: string, format: ImportFormat, file: string): Promise<Measurement | { error: string }> {
  const args = ['--conditions=@watchpost/source', '--import', 'tsx', WORKER, mode, format, file];
  const { code, out, err } = await run(process.execPath, args);
  if (code === 0) return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
  return { error: (err.match(/(RangeError|Error|TypeError)[^\n]*/)?.[0] ?? `exit ${code}`).slice(0, 90) };
}

/** The built CLI, as a user runs it: `node dist/cli/bin.js` (no tsx loader in its memory). */
const BUILT_CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const hasBuiltCli = existsSync(BUILT_CLI);
// Without this bench's `--conditions=@watchpost/source`: the built CLI loads the built packages.
const { NODE_OPTIONS: _sourceConditions, ...cliEnv } = process.env;

/**
 * `watchpost import` from the built CLI into a fresh SQLite file, timed by /usr/bin/time (wall, CPU,
 * peak RSS of that process alone); the site is created by a CLI run before it.
 */
async function measureBuiltCli(
  mode: string,
  format: ImportFormat,
  file: string,
): Promise<Measurement | { error: string }> {
  const dbDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'watchpost-import-cli-'));
  try {
    const db = join(dbDir, 'bench.db');
    const created = await run(
      process.execPath,
      [BUILT_CLI, 'sites', 'create', 'bench', '--tz', 'UTC', '--db', db],
      cliEnv,
    );
    if (created.code !== 0) return { error: `sites create failed: ${created.err.trim().slice(-80)}` };
    const siteId = (JSON.parse(created.out) as { id: string }).id;
    const args = ['import', '--site', siteId, '--format', format, '--db', db, file];
    if (mode === 'cli-sampled' || mode === 'cli-lean') args.push('--sample-rate', '0.1');
    if (mode === 'cli-single' || mode === 'cli-lean') args.push('--single-thread');
    const { code, out, err } = await run(TIME, ['-f', '@@ %e %U %S %M', process.execPath, BUILT_CLI, ...args], cliEnv);
    const figures = timeFigures(err);
    if (code !== 0 || figures === null) return { error: `import exit ${code}: ${err.trim().slice(-80)}` };
    const summary = JSON.parse(out.trim().split('\n').pop()!) as { linesRead: number };
    return { mode, format, lines: summary.linesRead, ...figures };
  } finally {
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** GoAccess on `file` to a JSON report, timed by /usr/bin/time (wall, CPU, peak RSS). */
async function measureGoAccess(logFormat: string, file: string): Promise<Measurement | { error: string }> {
  const out = `${file}.goaccess.json`;
  const args = ['-f', '@@ %e %U %S %M', 'goaccess', file, `--log-format=${logFormat}`, '--no-progress', '-o', out];
  const { code, err } = await run(TIME, args);
  rmSync(out, { force: true });
  const figures = timeFigures(err);
  if (code !== 0 || figures === null) return { error: `goaccess exit ${code}: ${err.trim().slice(-80)}` };
  return { mode: 'goaccess', format: logFormat, lines: 0, ...figures };
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
  if (hasBuiltCli) {
    runs.push(['cli', small, `import (CLI), ${fmt(SMALL)}`]);
    runs.push(['cli', large, `import (CLI), ${fmt(LARGE)}`]);
    runs.push(['cli-single', large, `import 1 thread, ${fmt(LARGE)}`]);
    runs.push(['cli-sampled', large, `import 0.1, ${fmt(LARGE)}`]);
    // The lean setting: raw events sampled (rollups exact) and no parse thread, for the least memory.
    runs.push(['cli-lean', small, `import lean, ${fmt(SMALL)}`]);
    runs.push(['cli-lean', large, `import lean, ${fmt(LARGE)}`]);
  } else summary.push(`${format}: import (CLI) SKIPPED: ${BUILT_CLI} is missing (npm run build first)`);
  console.log(`${format}: ${mb(statSync(large).size)} for ${fmt(LARGE)} lines`);
  const results = new Map<string, Measurement>();
  const goaccessFormat = GOACCESS_FORMATS[format];
  if (goaccessFormat !== undefined && goaccessVersion !== null && hasTime)
    runs.push(['goaccess', large, `GoAccess ${goaccessVersion}, ${fmt(LARGE)}`]);
  else if (goaccessFormat !== undefined)
    summary.push(
      `${format}: GoAccess comparison SKIPPED: ${goaccessVersion === null ? 'goaccess is not installed ' : ''}` +
        `${hasTime ? '' : '/usr/bin/time is missing '}(apt-get install -y goaccess time)`,
    );
  for (const [mode, file, label] of runs) {
    const result =
      mode === 'goaccess'
        ? await measureGoAccess(goaccessFormat!, file).then((r) => ('error' in r ? r : { ...r, lines: LARGE }))
        : mode.startsWith('cli')
          ? await measureBuiltCli(mode, format, file)
          : await measure(mode, format, file);
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
  const cliSmall = results.get(`import (CLI), ${fmt(SMALL)}`);
  const cliLarge = results.get(`import (CLI), ${fmt(LARGE)}`);
  const sampled = results.get(`import 0.1, ${fmt(LARGE)}`);
  const leanSmall = results.get(`import lean, ${fmt(SMALL)}`);
  const leanLarge = results.get(`import lean, ${fmt(LARGE)}`);
  const goaccess = results.get(`GoAccess ${goaccessVersion}, ${fmt(LARGE)}`);
  for (const [name, run] of [
    ['import (CLI path)', cliLarge],
    ['import --sample-rate 0.1', sampled],
    ['import --sample-rate 0.1 --single-thread', leanLarge],
  ] as const) {
    if (!run) continue;
    summary.push(
      `  ${name}: ${fmt(run.lines / run.seconds)} lines/s wall (${fmt(run.seconds, 1)} s), ` +
        `${fmt(run.lines / run.cpuSeconds)} per CPU-s, peak RSS ${fmt(run.maxRssMB)} MB` +
        (goaccess
          ? `; GoAccess ${fmt(goaccess.seconds, 1)} s wall, ${fmt(goaccess.cpuSeconds, 1)} CPU-s, ` +
            `${fmt(goaccess.maxRssMB)} MB: x${fmt(goaccess.seconds / run.seconds, 2)} by wall ` +
            `(${run.seconds < goaccess.seconds ? 'faster' : 'SLOWER'}), ` +
            `x${fmt(goaccess.cpuSeconds / run.cpuSeconds, 2)} by CPU`
          : format === 'aws-waf'
            ? ` (target 50,000 records/s: ${run.lines / run.seconds >= 50_000 ? 'met' : 'missed'} by wall)`
            : ''),
    );
  }
  if (cliSmall && cliLarge)
    summary.push(
      `  import peak RSS ${fmt(cliSmall.maxRssMB)} MB at ${fmt(SMALL)} vs ${fmt(cliLarge.maxRssMB)} MB at ` +
        `${fmt(LARGE)} lines (target <= 150 MB, flat)`,
    );
  if (leanSmall && leanLarge)
    summary.push(
      `  import --sample-rate 0.1 --single-thread peak RSS ${fmt(leanSmall.maxRssMB)} MB at ${fmt(SMALL)} vs ` +
        `${fmt(leanLarge.maxRssMB)} MB at ${fmt(LARGE)} lines (target <= 150 MB, flat)`,
    );
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
