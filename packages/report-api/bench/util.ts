import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Integer from an environment variable, with a default. */
export function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${name} must be a positive integer, got ${value}`);
  return n;
}

/** A temp directory removed at exit unless BENCH_KEEP=1. */
export function benchDir(): string {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'watchpost-bench-'));
  if (process.env.BENCH_KEEP !== '1') process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The `--conditions` this process runs with (`pnpm bench` passes `--conditions=@watchpost/source`),
 * for the servers a benchmark starts: without them a server loads the middleware's `dist/`, which is
 * there only after `npm run build`.
 */
export const conditions: readonly string[] = process.execArgv.flatMap((arg, at, all) =>
  // `--conditions=x`, or `--conditions x` / `-C x` as two arguments.
  arg.startsWith('--conditions=') ? [arg] : arg === '--conditions' || arg === '-C' ? [arg, all[at + 1] ?? ''] : [],
);

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
