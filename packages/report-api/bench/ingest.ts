// Benchmark 1: ingest events/s end to end over HTTP (1,000-event batches, real node-server on
// loopback, server in a child process) beside the naive one-INSERT-per-event baseline, same run.
// The clock stops when the day's report (read after the last batch) counts every event.
// Three servers in turn: fast (as `watchpost serve`: events written on a writer thread), inline (the
// same store writing on the serving thread) and naive. BENCH_INGEST_EVENTS (default 1,000,000, enough
// for rollup flushes to reach their steady rhythm; the naive baseline gets a tenth), BENCH_CONCURRENCY (default 4),
// BENCH_MODES (default fast,inline,naive), BENCH_GZIP=1 (gzipped bodies, as the middleware sends them).
// BENCH_STORE=postgres measures the PostgreSQL store instead (no baseline), in a fresh schema of
// BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped at the end;
// BENCH_INSTANCES=N (PostgreSQL only) runs N report-api servers on that one schema, the load spread
// over them round-robin, to see how ingest scales out (server CPU summed over the instances).
import type Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { Store } from '../src/db/store.js';
import { generateDay } from './generate.js';
import { benchDir, conditions, envInt, fmt } from './util.js';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const serverScript = fileURLToPath(new URL('./server.ts', import.meta.url));

async function startServer(db: string, mode: Mode) {
  const child = spawn(
    tsx,
    [
      ...conditions,
      ...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : []),
      serverScript,
      db,
      mode,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(chunk.toString());
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const stop = () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM')));
  /** The server's CPU time so far (user + system), in µs. */
  const cpu = () =>
    new Promise<number>((resolve) => {
      const onData = (chunk: Buffer) => {
        const match = /CPU (\d+)/.exec(chunk.toString());
        if (!match) return;
        child.stdout.off('data', onData);
        resolve(Number(match[1]));
      };
      child.stdout.on('data', onData);
      child.stdin.write('cpu\n');
    });
  return { port, stop, cpu };
}

type Mode = 'fast' | 'inline' | 'naive' | 'postgres';

/** Where one mode's data lives: what the server is given, how to open it here, how to clean up. */
interface Target {
  db: string;
  open(): Promise<Store>;
  stored(store: Store, siteId: string): Promise<number>;
  drop(): Promise<void>;
}

function sqliteTarget(path: string): Target {
  return {
    db: path,
    open: async () => openSqliteStore({ path }),
    stored: async (store, siteId) =>
      (
        (store as Store & { db: Database.Database }).db
          .prepare('SELECT count(*) AS n FROM events WHERE site_id = ?')
          .get(siteId) as { n: number }
      ).n,
    drop: async () => undefined,
  };
}

function postgresTarget(url: string): Target {
  const schema = `wp_bench_${randomBytes(4).toString('hex')}`;
  const open = () => openPostgresStore({ url, schema });
  const query = async <R>(store: Store, text: string, values: unknown[] = []) =>
    (await (store as Awaited<ReturnType<typeof open>>).pool.query(text, values)).rows as R[];
  return {
    db: `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`,
    open,
    stored: async (store, siteId) =>
      (await query<{ n: number }>(store, 'SELECT count(*) AS n FROM events WHERE site_id = $1', [siteId]))[0]!.n,
    async drop() {
      if (process.env.BENCH_KEEP === '1') return;
      const store = await open();
      await query(store, `DROP SCHEMA "${schema}" CASCADE`);
      await store.close();
    },
  };
}

/**
 * POSTs a body to `/v1/events` over keep-alive `node:http`: this load generator takes about a third of
 * the CPU of `fetch` (~0.7 vs ~2 µs per event), which on a 2-core machine is CPU the server gets.
 */
function poster(port: number, key: string, gzip: boolean) {
  const agent = new http.Agent({ keepAlive: true });
  return (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/events',
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'content-length': body.length,
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

export async function runIngestBench(): Promise<Partial<Record<Mode, number>>> {
  const events = envInt('BENCH_INGEST_EVENTS', 1_000_000);
  const concurrency = envInt('BENCH_CONCURRENCY', 4);
  const postgresUrl =
    process.env.BENCH_STORE === 'postgres'
      ? (process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
      : null;
  if (
    process.env.BENCH_STORE !== undefined &&
    process.env.BENCH_STORE !== 'postgres' &&
    process.env.BENCH_STORE !== 'sqlite'
  ) {
    throw new TypeError(`BENCH_STORE must be sqlite or postgres, got ${process.env.BENCH_STORE}`);
  }
  const dir = benchDir();
  const results: Partial<Record<Mode, number>> = {};
  const modes: Mode[] = postgresUrl
    ? ['postgres']
    : process.env.BENCH_MODES
      ? (process.env.BENCH_MODES.split(',') as Mode[])
      : ['fast', 'inline', 'naive'];
  for (const mode of modes) {
    const n = mode === 'naive' ? Math.ceil(events / 10) : events;
    const target = postgresUrl ? postgresTarget(postgresUrl) : sqliteTarget(join(dir, `${mode}.db`));
    const setup = await target.open();
    const { ingestKey, adminKey, site } = await setup.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
    await setup.close();
    // Bodies are serialised before the clock starts: the client's JSON work is not the server's.
    // BENCH_GZIP=1 sends them gzipped (level 1, as the middleware's forwarder does).
    const gzip = process.env.BENCH_GZIP === '1';
    const bodies = [...generateDay({ events: n, dayStart: Date.UTC(2026, 2, 1), seed: mode === 'naive' ? 2 : 1 })].map(
      (b) => (gzip ? gzipSync(JSON.stringify(b), { level: 1 }) : Buffer.from(JSON.stringify(b))),
    );
    const instances = postgresUrl ? envInt('BENCH_INSTANCES', 1) : 1;
    const servers = await Promise.all(Array.from({ length: instances }, () => startServer(target.db, mode)));
    const server = servers[0]!;
    const posts = servers.map((s) => poster(s.port, ingestKey, gzip));
    const cpuOfAll = async () => (await Promise.all(servers.map((s) => s.cpu()))).reduce((a, b) => a + b, 0);
    let next = 0;
    const cpuBefore = await cpuOfAll();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const post = posts[worker % posts.length]!;
        while (next < bodies.length) {
          const { status, text } = await post(bodies[next++]!);
          if (status !== 202) throw new Error(`ingest answered ${status}: ${text}`);
        }
      }),
    );
    const sent = performance.now();
    // Inside the clock: the day's report, which must count every event. Rollups the server still
    // holds in memory are written by this read, so their cost is measured too.
    const report = await fetch(`http://127.0.0.1:${server.port}/v1/reports/daily?date=2026-03-01`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const requests = ((await report.json()) as { totals?: { requests?: number } }).totals?.requests;
    if (requests !== n) throw new Error(`${mode}: the report counts ${requests} requests, ${n} were sent`);
    const seconds = (performance.now() - started) / 1000;
    const reportMs = performance.now() - sent;
    const client = process.cpuUsage(clientBefore);
    const clientPerEvent = (client.user + client.system) / n;
    const cpuPerEvent = ((await cpuOfAll()) - cpuBefore) / n;
    await Promise.all(servers.map((s) => s.stop()));
    const check = await target.open();
    const stored = await target.stored(check, site.id);
    await check.close();
    await target.drop();
    if (stored !== n) throw new Error(`${mode}: stored ${stored} of ${n} events`);
    results[mode] = n / seconds;
    console.log(
      `ingest ${mode.padEnd(6)}${instances > 1 ? ` x${instances} instances` : ''}: ` +
        `${fmt(n)} events in ${fmt(seconds, 2)} s = ${fmt(n / seconds)} events/s ` +
        `(1,000-event batches${gzip ? ' gzipped' : ''}, ${concurrency} in flight, HTTP on loopback); server ` +
        `CPU ${fmt(cpuPerEvent, 1)} µs per event (client ${fmt(clientPerEvent, 1)} µs); the report at the end ` +
        `took ${fmt(reportMs)} ms`,
    );
  }
  if (results.fast && results.naive)
    console.log(`ingest speed-up over the naive baseline: ${fmt(results.fast / results.naive, 1)}x`);
  if (results.fast && results.inline)
    console.log(`ingest with the writer thread over the inline store: ${fmt(results.fast / results.inline, 2)}x`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await runIngestBench();
