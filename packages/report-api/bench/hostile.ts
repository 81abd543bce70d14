// Benchmark: the report API under a hostile corpus. `pnpm --filter @watchpost/report-api bench:hostile`.
// Starts the server in a child process as `watchpost serve` runs it (SQLite, events written on the
// writer thread; run with --expose-gc), then sends normal traffic alone (site "shop": 100-event gzip
// batches, one at a time) and then the same traffic while site "attacker" sends, in rounds: gzip
// bombs (50 KB -> 49 MB), 12 concurrent max-size bodies (5000 longest events, ~16 MB each), batches of
// 5000 invalid events, deep-nested JSON, control-character text and huge numbers. Prints normal
// latency p50/p99 without and with the hostile load, the serving thread's stall (event-loop delay
// max/p99) and the server's RSS before, at peak and after a gc.
// BENCH_HOSTILE_SECONDS (default 10) is the length of each phase.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { benchDir, conditions, envInt, fmt } from './util.js';

const MB = 1024 * 1024;

if (process.argv[2] === 'server') await runServer(process.argv[3]!);
else await runHostileBench();

/** Child: `watchpost serve` as it runs, plus a `stats` / `gc` command on stdin. */
async function runServer(path: string) {
  const { serve } = await import('@hono/node-server');
  const { createApp } = await import('../src/app.js');
  const { openSqliteStore } = await import('../src/db/sqlite/open.js');
  const store = openSqliteStore({ path, writerThread: true });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  serve({ fetch: createApp({ store, logError: () => undefined }).fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    process.stdout.write(`PORT ${info.port}\n`),
  );
  // One answer per command line: commands sent close together arrive in one chunk.
  let pending = '';
  process.stdin.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
      const command = pending.slice(0, at);
      pending = pending.slice(at + 1);
      if (command.includes('gc')) (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      const stats = {
        rss: memory.rss,
        heap: memory.heapUsed,
        buffers: memory.arrayBuffers,
        stallMaxMs: delay.max / 1e6,
        stallP99Ms: delay.percentile(99) / 1e6,
      };
      if (command.includes('reset')) delay.reset();
      process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    }
  });
  process.on('SIGTERM', () => void store.close().then(() => process.exit(0)));
}

type Stats = { rss: number; heap: number; buffers: number; stallMaxMs: number; stallP99Ms: number };

async function runHostileBench() {
  const seconds = envInt('BENCH_HOSTILE_SECONDS', 10);
  const path = join(benchDir(), 'hostile.db');
  const { openSqliteStore } = await import('../src/db/sqlite/open.js');
  const setup = openSqliteStore({ path });
  const shop = await setup.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
  const attacker = await setup.createSite({ name: 'attacker', timeZone: 'UTC', homeCountry: 'JP' });
  await setup.close();

  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, [...conditions, '--expose-gc', fileURLToPath(import.meta.url), 'server', path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: ((line: string) => boolean)[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const waiter = lines.findIndex((take) => take(line));
      if (waiter >= 0) lines.splice(waiter, 1);
    }
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve) =>
      lines.push((line) => line.startsWith(prefix) && (resolve(line.slice(prefix.length)), true)),
    );
  const port = Number(await next('PORT '));
  const stats = async (command = 'stats') => {
    const answer = next('STATS ');
    child.stdin.write(`${command}\n`);
    return JSON.parse(await answer) as Stats;
  };

  const corpus = hostileCorpus();
  const post = (key: string, body: Buffer, gzip: boolean) => send(port, key, body, gzip);
  const before = await stats('gc reset');
  const alone = await normalTraffic(post, shop.ingestKey, seconds * 1000);
  const aloneStall = await stats('reset');

  let peak = before.rss;
  const sampler = setInterval(() => void stats().then((s) => (peak = Math.max(peak, s.rss))), 200);
  const statuses = new Map<string, number>();
  let stop = false;
  const hostile = (async () => {
    while (!stop) {
      for (const [kind, body, gzip, copies] of corpus) {
        const answers = await Promise.all(
          Array.from({ length: copies }, () =>
            post(attacker.ingestKey, body, gzip).catch(() => ({ status: 0, ms: 0 })),
          ),
        );
        for (const { status } of answers)
          statuses.set(`${kind} ${status}`, (statuses.get(`${kind} ${status}`) ?? 0) + 1);
        if (stop) break;
      }
    }
  })();
  const loaded = await normalTraffic(post, shop.ingestKey, seconds * 1000);
  stop = true;
  await hostile;
  clearInterval(sampler);
  const loadedStall = await stats('reset');
  peak = Math.max(peak, loadedStall.rss);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await stats('gc');
  child.kill('SIGTERM');

  const q = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;
  console.log(`hostile corpus, ${seconds} s per phase, node ${process.version}`);
  console.log(
    `normal traffic alone:   ${alone.length} batches, latency p50 ${fmt(q(alone, 0.5), 1)} ms, ` +
      `p99 ${fmt(q(alone, 0.99), 1)} ms; stall max ${fmt(aloneStall.stallMaxMs, 1)} ms, ` +
      `p99 ${fmt(aloneStall.stallP99Ms, 1)} ms`,
  );
  console.log(
    `normal under hostile:   ${loaded.length} batches, latency p50 ${fmt(q(loaded, 0.5), 1)} ms, ` +
      `p99 ${fmt(q(loaded, 0.99), 1)} ms; stall max ${fmt(loadedStall.stallMaxMs, 1)} ms, ` +
      `p99 ${fmt(loadedStall.stallP99Ms, 1)} ms`,
  );
  console.log(
    `latency ratio (hostile / alone): p50 ${fmt(q(loaded, 0.5) / q(alone, 0.5), 2)}x, ` +
      `p99 ${fmt(q(loaded, 0.99) / q(alone, 0.99), 2)}x`,
  );
  console.log(
    `server RSS: before ${fmt(before.rss / MB)} MB, peak ${fmt(peak / MB)} MB, after gc ${fmt(after.rss / MB)} ` +
      `MB (JS heap ${fmt(before.heap / MB)} -> ${fmt(after.heap / MB)} MB, buffers ${fmt(before.buffers / MB)} ` +
      `-> ${fmt(after.buffers / MB)} MB)`,
  );
  console.log(`hostile answers: ${[...statuses].map(([key, n]) => `${key} x${n}`).join(', ')}`);
}

type Post = (key: string, body: Buffer, gzip: boolean) => Promise<{ status: number; ms: number }>;

/** Normal traffic: 100-event gzip batches one after the other for `ms`; answers each latency in ms. */
async function normalTraffic(post: Post, key: string, ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  for (let i = 0; performance.now() < end; i++) {
    const events = Array.from({ length: 100 }, (_, j) => event({ ts: Date.now() - j, path: `/p/${i}/${j}` }));
    const { status, ms: took } = await post(
      key,
      gzipSync(JSON.stringify({ batchId: `normal-${process.pid}-${i}`, source: 'express', events })),
      true,
    );
    if (status !== 202) throw new Error(`normal batch answered ${status}`);
    latencies.push(took);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

function event(overrides: Record<string, unknown> = {}) {
  return {
    ts: Date.now(),
    ip: '203.0.113.7',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    status: 200,
    latencyMs: 12,
    ua: 'Mozilla/5.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
    ...overrides,
  };
}

/** [kind, body, gzipped, copies sent at once] */
function hostileCorpus(): [string, Buffer, boolean, number][] {
  const batchOf = (events: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ batchId: `hostile-${Math.random().toString(36).slice(2)}`, source: 'express', events, ...extra });
  const longest = event({
    host: 'h'.repeat(255),
    path: `/${'p'.repeat(2047)}`,
    ua: 'u'.repeat(512),
    rule: 'r'.repeat(128),
    method: 'M'.repeat(16),
  });
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  return [
    ['bomb', gzipSync(batchOf([], { pad: 'a'.repeat(49 * MB) }), { level: 9 }), true, 4],
    [
      'max-size',
      gzipSync(batchOf(Array.from({ length: 5000 }, (_, i) => ({ ...longest, ts: Date.now() - i })))),
      true,
      12,
    ],
    [
      'invalid',
      gzipSync(batchOf(Array.from({ length: 5000 }, (_, i) => event({ ip: `not-an-ip-${i}`, status: -1 })))),
      true,
      2,
    ],
    ['deep-nested', Buffer.from(`{"batchId":"deep-nested-1","source":"express","events":[${deep}]}`), false, 2],
    [
      'control-chars',
      gzipSync(
        batchOf(Array.from({ length: 5000 }, () => event({ ua: 'a\u0000\u001b[31m\u0085\u202e', path: '/\u0007' }))),
      ),
      true,
      2,
    ],
    [
      'huge-numbers',
      gzipSync(
        batchOf(
          Array.from({ length: 5000 }, () => event({ ts: 9e15, latencyMs: 1e308, status: 1e300, sampleRate: 5e-324 })),
        ),
      ),
      true,
      2,
    ],
  ];
}

function send(port: number, key: string, body: Buffer, gzip: boolean) {
  return new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const start = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/events',
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': body.length,
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
