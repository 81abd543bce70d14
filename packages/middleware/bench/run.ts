/**
 * Runs every benchmark in this folder, one after the other, each in its own process so that
 * one's JIT state and garbage do not leak into the next. `pnpm bench` calls this.
 * Pass names to run some only: `npx tsx bench/run.ts decide throughput`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], {
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
