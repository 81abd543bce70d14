// CPU time per request that the Watchpost engine adds inside workerd, as a ratio to a plain
// pass-through worker, both in the same workerd process and the same run.
//
// Method: the production bundle (`wrangler deploy --dry-run`) and a plain pass-through worker run
// side by side in one Miniflare (one workerd process), both proxying to the same in-process origin
// worker. A driver worker, also in workerd, sends the requests through service bindings, so the
// load costs little outside the two workers under test (Node only starts each burst of 500).
// Rounds alternate between the two; for each round the script reads workerd's CPU time
// from /proc/<pid>/task/*/schedstat (nanoseconds, all threads) before and after N requests.
// In-isolate timers cannot do this: workerd freezes Date.now()/performance.now() while JavaScript
// runs (they only advance at I/O), so code cannot time itself; the kernel's per-thread accounting
// can. The figure includes what both variants share (HTTP entry, the origin worker), so the ratio
// is "whole request in workerd", and the difference is the engine's added CPU per request.
//
// Run: `pnpm --filter @watchpost/edge-worker bench` (or `npx tsx bench/run.ts`).
// Many short rounds beat few long ones on a busy machine: each variant's round runs right after the
// others', so they see the same conditions, and the median over 60 rounds is stable.
// Knobs: BENCH_REQUESTS (per round, default 250), BENCH_ROUNDS (default 60), BENCH_CONCURRENCY
// (default 8), BENCH_DENY_ENTRIES (deny-list size in KV, default 10000).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DENY_ENTRIES = Number(process.env.BENCH_DENY_ENTRIES ?? 10_000);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

function bundle(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'watchpost-edge-bench-'));
  const result = spawnSync(
    process.execPath,
    [join(packageDir, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--env', '', '--outdir', outdir],
    {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        CI: 'true',
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_HIDE_BANNER: 'true',
        WRANGLER_LOG_PATH: outdir,
      },
    },
  );
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  return join(outdir, 'index.js');
}

const ORIGIN = `
const page = '<!doctype html><title>shop</title>' + '<p>product</p>'.repeat(128);
export default {
  async fetch(request) {
    if (request.method === 'POST') {
      await request.arrayBuffer();
      return new Response('{"accepted":true}', { status: 202 });
    }
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=60' };
    return new Response(page, { headers });
  },
};`;

const PLAIN = `
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(env.ORIGIN_URL + url.pathname + url.search, request));
  },
};`;

const DRIVER = `
const BROWSER = ${JSON.stringify(BROWSER)};
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const target = env[url.searchParams.get('target')];
    if (url.searchParams.has('ip')) {
      const response = await target.fetch('https://shop.example/', {
        headers: {
          'user-agent': url.searchParams.get('ua') ?? BROWSER,
          'cf-connecting-ip': url.searchParams.get('ip'),
        },
      });
      await response.arrayBuffer();
      return new Response(String(response.status));
    }
    const count = Number(url.searchParams.get('n'));
    const offset = Number(url.searchParams.get('offset'));
    let next = 0;
    async function lane() {
      while (next < count) {
        const i = offset + next++;
        const response = await target.fetch('https://shop.example/products/' + (i % 500) + '?ref=bench', {
          headers: { 'user-agent': BROWSER, 'cf-connecting-ip': '198.18.' + ((i >> 8) & 255) + '.' + (i & 255) },
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error('unexpected status ' + response.status);
      }
    }
    await Promise.all(Array.from({ length: ${CONCURRENCY} }, lane));
    return new Response('ok');
  },
};`;

/** Sum of CPU nanoseconds of every thread of `pid`. */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between listing and reading
    }
  }
  return total;
}

/** The workerd process Miniflare started (a descendant of this process). */
function findWorkerd(): number {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      names.set(Number(entry), name);
    } catch {
      // gone
    }
  }
  for (const [pid, name] of names) {
    if (!name.startsWith('workerd')) continue;
    for (let up = parents.get(pid); up !== undefined && up > 1; up = parents.get(up)) {
      if (up === process.pid) return pid;
    }
  }
  throw new Error('workerd process of this Miniflare not found');
}

function denyList(size: number) {
  const entries = Array.from({ length: size }, (_, i) => ({
    id: `d_${i}`,
    value:
      i % 10 === 0
        ? `2001:db8:${(i % 65_536).toString(16)}::/48`
        : `${10 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.0/24`,
    reason: 'bench',
    source: 'manual',
    createdAt: 1,
    expiresAt: null,
  }));
  return { version: 'bench-1', etag: '"bench-1"', fetchedAt: Date.now(), entries };
}

/** The worker under test with different settings; every one reads the same deny list from KV. */
const WATCHPOST_VARIANTS: Record<string, Record<string, string>> = {
  // Every request becomes an event (the default SAMPLE_RATE=1), batched and posted gzip.
  watchpost: {},
  // Allowed traffic sampled at 1%: the cost of the rules without most of the event traffic.
  'watchpost-1%': { SAMPLE_RATE: '0.01' },
  // No report API: rules only, no events at all.
  'rules-only': { REPORT_API_URL: '' },
};
const VARIANTS = ['plain', ...Object.keys(WATCHPOST_VARIANTS)];

type Fetcher = { fetch: (url: string, init?: RequestInit) => Promise<Response> };

const BURST = 500;

/** Sends `count` requests to `target` through the driver worker, in bursts of 500. */
async function load(driver: Fetcher, target: string, count: number): Promise<void> {
  for (let offset = 0; offset < count; offset += BURST) {
    const n = Math.min(BURST, count - offset);
    const response = await driver.fetch(`http://driver/?target=${target}&n=${n}&offset=${offset}`);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`driver failed: ${response.status} ${text}`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const scriptPath = bundle();
  const mf = new Miniflare({
    // A fixed placeholder request.cf: Miniflare would otherwise try to download one from Cloudflare.
    cf: false,
    workers: [
      ...Object.entries(WATCHPOST_VARIANTS).map(([name, vars]) => ({
        name,
        modules: true,
        scriptPath,
        modulesRoot: dirname(scriptPath),
        compatibilityDate: '2026-04-01',
        bindings: {
          ORIGIN_URL: 'http://origin.internal',
          REPORT_API_URL: 'http://report.internal',
          INGEST_KEY: 'bench',
          ...vars,
        },
        kvNamespaces: { DENYLIST: 'denylist-bench' },
        outboundService: 'origin',
      })),
      {
        name: 'plain',
        modules: true,
        script: PLAIN,
        compatibilityDate: '2026-04-01',
        bindings: { ORIGIN_URL: 'http://origin.internal' },
        outboundService: 'origin',
      },
      { name: 'origin', modules: true, script: ORIGIN, compatibilityDate: '2026-04-01' },
      {
        name: 'driver',
        modules: true,
        script: DRIVER,
        compatibilityDate: '2026-04-01',
        serviceBindings: Object.fromEntries(VARIANTS.map((name) => [name, name])),
      },
    ],
  });
  try {
    await mf.ready;
    const kv = (await mf.getKVNamespace('DENYLIST', 'watchpost')) as unknown as {
      put(key: string, value: string): Promise<void>;
    };
    await kv.put('denylist:v1', JSON.stringify(denyList(DENY_ENTRIES)));
    const driver = (await mf.getWorker('driver')) as unknown as Fetcher;
    const workerd = findWorkerd();

    // The engine really runs in every variant: a denied IP and a scanner get 403, plain lets both through.
    for (const name of VARIANTS) {
      const denied = await (await driver.fetch(`http://driver/?target=${name}&ip=11.0.1.5`)).text();
      const scanner = await (await driver.fetch(`http://driver/?target=${name}&ip=192.0.2.1&ua=sqlmap%2F1.8`)).text();
      const expected = name === 'plain' ? '200' : '403';
      if (denied !== expected || scanner !== expected) {
        throw new Error(`${name}: denied IP got ${denied}, scanner got ${scanner}, expected ${expected}`);
      }
    }

    // Warm-up: JIT, the isolate's first KV read and deny-list compile, connection pools.
    for (const name of VARIANTS) await load(driver, name, Math.min(1000, REQUESTS));

    const cpuPerRequest: Record<string, number[]> = Object.fromEntries(VARIANTS.map((name) => [name, []]));
    const wallPerRequest: Record<string, number[]> = Object.fromEntries(VARIANTS.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order every round so drift in machine load spreads over all variants.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const name of order) {
        const cpuBefore = cpuNs(workerd);
        const wallBefore = process.hrtime.bigint();
        await load(driver, name, REQUESTS);
        const wall = Number(process.hrtime.bigint() - wallBefore);
        cpuPerRequest[name]!.push((cpuNs(workerd) - cpuBefore) / REQUESTS / 1000);
        wallPerRequest[name]!.push(wall / REQUESTS / 1000);
      }
    }

    const plainCpu = median(cpuPerRequest.plain!);
    // Each round measures every variant back to back: the ratio within a round cancels most of the
    // drift of a shared machine; the table shows the median of those per-round ratios.
    const ratios = (name: string) => cpuPerRequest[name]!.map((cpu, round) => cpu / cpuPerRequest.plain![round]!);
    console.log(
      `workerd CPU per request, ${ROUNDS} rounds x ${REQUESTS} requests per variant, order rotated each round`,
    );
    console.log(
      `(concurrency ${CONCURRENCY}, ${DENY_ENTRIES} deny entries in KV, browser GETs that all reach the origin)`,
    );
    console.log('variant        cpu µs/req  ratio to plain  added µs/req  wall µs/req  ratio quartiles');
    for (const name of VARIANTS) {
      const cpu = median(cpuPerRequest[name]!);
      const ratio = median(ratios(name));
      const sorted = [...ratios(name)].sort((a, b) => a - b);
      const quartile = (q: number) => sorted[Math.floor(sorted.length * q)]!.toFixed(2);
      const spread = `${quartile(0.25)}..${quartile(0.75)}`;
      console.log(
        `${name.padEnd(14)} ${cpu.toFixed(1).padStart(10)}  ${ratio.toFixed(2).padStart(14)} ` +
          ` ${(ratio * plainCpu - plainCpu).toFixed(1).padStart(12)} ` +
          ` ${median(wallPerRequest[name]!).toFixed(1).padStart(11)}  ${spread}`,
      );
    }
    console.log('cpu and wall: medians over rounds; added µs = (ratio - 1) x plain cpu.');
  } finally {
    await mf.dispose();
  }
}

await main();
