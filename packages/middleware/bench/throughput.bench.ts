/**
 * Benchmark 3: requests per second of Express and Hono (@hono/node-server) with Watchpost on
 * (100k deny entries, offline GeoIP, sampleRate 0.1, forwarder posting to a local fake report
 * API, deny-list sync polling it), as a ratio to the same framework bare, in the same run.
 * Express runs Watchpost both as middleware and wrapping the app at the server (`guard.wrap(app)`),
 * Hono both as middleware and as a fetch wrapper (`watchpostFetch`); an empty
 * middleware shows what any middleware costs. Servers run in a child process, autocannon in
 * this one; variants alternate round by round.
 * Target: ratio >= 0.90. Run: npx tsx bench/throughput.bench.ts   (ROUNDS, SECONDS, ONLY_HONO, ONLY, PROFILE to tune)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CHROME_UA, median } from './fixtures.js';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const SECONDS = Number(process.env.SECONDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);

// PROFILE=DIR writes the servers' CPU profile there (open it in Chrome's DevTools), to see where a request's time goes.
const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [];
const servers = fileURLToPath(new URL('./servers.ts', import.meta.url));
const child = spawn(process.execPath, [...profile, '--import', 'tsx', servers], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const MAX_VARIANTS = 8;
const killTimer = setTimeout(() => child.kill(), (ROUNDS * MAX_VARIANTS * (SECONDS + 2) + 120) * 1_000);
killTimer.unref();

try {
  const urls: Record<string, string> = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before it was ready`)));
  });
  // ONLY='hono bare|fetch' measures the variants whose names match (a bare one must be among them);
  // the server process then starts only those.
  if (process.env.ONLY)
    for (const name of Object.keys(urls)) if (!new RegExp(process.env.ONLY).test(name)) delete urls[name];

  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (usage) =>
        resolve(((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system) / 1_000),
      );
      child.send('cpu');
    });
  const run = (url: string, duration: number) =>
    autocannon({
      url: `${url}/products/42`,
      connections: CONNECTIONS,
      duration,
      headers: { 'user-agent': CHROME_UA, accept: 'application/json' },
    });

  for (const url of Object.values(urls)) await run(url, 1); // warm-up: JIT, caches, the GeoIP table
  const rps: Record<string, number[]> = Object.fromEntries(Object.keys(urls).map((k) => [k, []]));
  const cpuPerRequest: Record<string, number[]> = Object.fromEntries(Object.keys(urls).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? Object.keys(urls) : Object.keys(urls).reverse();
    for (const name of order) {
      const cpuBefore = await cpu();
      const result = await run(urls[name]!, SECONDS);
      const cpuMs = (await cpu()) - cpuBefore;
      cpuPerRequest[name]!.push((cpuMs * 1_000) / Math.max(1, result.requests.total));
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      rps[name]!.push(result.requests.average);
      console.log(
        `round ${round + 1} ${name.padEnd(32)} ${result.requests.average.toFixed(0).padStart(7)} req/s  ` +
          `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  server ` +
          `CPU ${cpuPerRequest[name]!.at(-1)!.toFixed(1)} µs/req`,
      );
    }
  }

  console.log(
    `\nthroughput, median of ${ROUNDS} rounds x ${SECONDS} s, ${CONNECTIONS} connections (machine shared with ` +
      `other work)`,
  );
  for (const framework of ['express', 'hono'].filter((f) => `${f} bare` in urls)) {
    const bare = median(rps[`${framework} bare`]!);
    const bareCpu = median(cpuPerRequest[`${framework} bare`]!);
    console.log(
      `${`${framework} bare`.padEnd(32)} ${bare.toFixed(0).padStart(7)} req/s   server CPU ${bareCpu.toFixed(1)} ` +
        `µs/req`,
    );
    for (const name of Object.keys(urls).filter((k) => k.startsWith(`${framework} + `))) {
      const ratio = median(rps[name]!) / bare;
      // Each round measures bare and this variant a few seconds apart: the median of those
      // paired ratios is less moved by load that drifts over the run than the ratio of medians.
      const paired = median(rps[name]!.map((value, round) => value / rps[`${framework} bare`]![round]!));
      const cpuPerReq = median(cpuPerRequest[name]!);
      // The empty middleware is a reference point (what any middleware costs), not a Watchpost variant.
      const verdict = name.includes('watchpost') ? `   target >= 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'}` : '';
      console.log(
        `${name.padEnd(32)} ${median(rps[name]!).toFixed(0).padStart(7)} req/s   server ` +
          `CPU ${cpuPerReq.toFixed(1)} µs/req   ratio ${ratio.toFixed(3)} (paired ${paired.toFixed(3)}, by ` +
          `CPU ${(bareCpu / cpuPerReq).toFixed(3)})${verdict}`,
      );
    }
  }
} finally {
  child.kill();
}
