// How fast a deny reaches app instances, and what idle instances cost the report API.
// `pnpm --filter @watchpost/report-api bench:enforcement` (about 2 minutes). Environment:
// ENFORCE_TRIES (default 50) long-poll tries, POLL_TRIES (default 10) plain-poll tries at
// POLL_INTERVAL_MS (default 5000), IDLE_INSTANCES (default 1000).
//
// The report API runs in a child process as `watchpost serve` runs it (SQLite writer thread);
// instances are deny-list syncs as the middleware builds them, each with its own engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createDenyListSync, createEngine, type DenyListSync, type Engine } from '@watchpost/middleware';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { benchDir, conditions, envInt, fmt } from './util.js';

const tries = envInt('ENFORCE_TRIES', 50);
const pollTries = envInt('POLL_TRIES', 10);
const pollIntervalMs = envInt('POLL_INTERVAL_MS', 5000);
const idleInstances = envInt('IDLE_INSTANCES', 1000);

interface Server {
  url: string;
  child: ChildProcess;
  cpuMicros(): Promise<number>;
}

async function startServer(dbPath: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [...conditions, '--import', 'tsx', join(import.meta.dirname, 'server.ts'), dbPath, 'fast'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const port = Number((await next()).replace('PORT ', ''));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async cpuMicros() {
      const answer = next();
      child.stdin!.write('cpu\n');
      return Number((await answer).replace('CPU ', ''));
    },
  };
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function instance(url: string, ingestKey: string, extra: { waitS?: number; intervalMs?: number }) {
  const engine: Engine = createEngine({ bans: false });
  const sync: DenyListSync = createDenyListSync({
    url,
    ingestKey,
    ...extra,
    onUpdate: (entries) => engine.setDenyList(entries),
    onError: () => {},
  });
  sync.start();
  return { engine, sync };
}

const refuses = (engine: Engine, ip: string) =>
  engine.decide({ ip, method: 'GET', host: '', path: '/', ua: '', country: null }).action === 'block';

/** Adds a deny through the API (`POST /v1/denylist`). */
async function viaApi(url: string, adminKey: string, ip: string): Promise<void> {
  const res = await fetch(`${url}/v1/denylist`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ value: ip, reason: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/denylist answered ${res.status}`);
}

/**
 * Adds `count` denies one after the other, each at a random point of a `cycleMs` poll cycle;
 * answers each instance's delay from the write to enforcement, sorted.
 */
async function measure(
  add: (ip: string) => Promise<void>,
  engines: Engine[],
  count: number,
  offset: number,
  cycleMs: number,
) {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const ip = `10.${offset}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    await add(ip);
    const added = performance.now();
    const pending = new Set(engines);
    while (pending.size > 0) {
      for (const engine of pending) {
        if (refuses(engine, ip)) {
          delays.push(performance.now() - added);
          pending.delete(engine);
        }
      }
      await sleep(2);
    }
    await sleep(Math.random() * cycleMs);
  }
  return delays.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (sorted: number[]) =>
  `p50 ${fmt(pct(sorted, 50))} ms, p99 ${fmt(pct(sorted, 99))} ms, max ${fmt(sorted.at(-1)!)} ms`;

const dir = benchDir();
const dbPath = join(dir, 'enforcement.db');
const setup = openSqliteStore({ path: dbPath });
const { ingestKey, adminKey } = await setup.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
await setup.close();
const server = await startServer(dbPath);
console.log(`node ${process.version}, ${new Date().toISOString()}; report API pid ${server.child.pid}`);

// 1. Long poll (the default settings) against plain polling, two instances each.
const held = [instance(server.url, ingestKey, {}), instance(server.url, ingestKey, {})];
await sleep(1000);
const engines = held.map((h) => h.engine);
const longPoll = await measure((ip) => viaApi(server.url, adminKey, ip), engines, tries, 1, 1000);
console.log(`long poll (default, syncWaitS 25), deny through the API: ${tries} × 2 instances: ${summary(longPoll)}`);
// The dashboard, another report-API instance on the same database, or any other writer: seen by
// the watched site's re-read (once a second), not by the API's own notification.
const writer = openSqliteStore({ path: dbPath });
const site = (await writer.listSites())[0]!;
const addBehind = async (ip: string) => {
  await writer.addDenyEntry(site.id, { value: ip, reason: '', source: 'manual', expiresAt: null }, Date.now());
};
const behind = await measure(addBehind, engines, tries, 3, 1000);
await writer.close();
for (const h of held) h.sync.stop();
console.log(`long poll, deny written by another writer: ${tries} × 2 instances: ${summary(behind)}`);

const polled = [0, 1].map(() => instance(server.url, ingestKey, { waitS: 0, intervalMs: pollIntervalMs }));
await sleep(1000);
const plainEngines = polled.map((p) => p.engine);
const plain = await measure((ip) => viaApi(server.url, adminKey, ip), plainEngines, pollTries, 2, pollIntervalMs);
for (const p of polled) p.sync.stop();
console.log(
  `plain poll every ${fmt(pollIntervalMs)} ms: ${pollTries} denies × 2 instances: ${summary(plain)}` +
    ` (the README's 60 s default before long polls would be 12× that)`,
);
console.log(
  `p99 ratio, plain poll / long poll: ${fmt(pct(plain, 99) / pct(longPoll, 99), 1)}× through the API, ` +
    `${fmt(pct(plain, 99) / pct(behind, 99), 1)}× from another writer`,
);

// 2. What idle instances cost: memory, descriptors and CPU of the report API with N held polls.
await sleep(1500);
const idleWindowMs = 10_000;
const before = { rss: rssMb(server.child.pid!), fds: openFds(server.child.pid!), cpu: await server.cpuMicros() };
await sleep(idleWindowMs);
const quietCpu = (await server.cpuMicros()) - before.cpu;
const idle = Array.from({ length: idleInstances }, () => instance(server.url, ingestKey, {}));
await sleep(5000);
const withIdle = { rss: rssMb(server.child.pid!), fds: openFds(server.child.pid!), cpu: await server.cpuMicros() };
await sleep(idleWindowMs);
const idleCpu = (await server.cpuMicros()) - withIdle.cpu;
console.log(
  `${fmt(idleInstances)} idle instances held: report API RSS ${fmt(before.rss)} → ${fmt(withIdle.rss)} MB ` +
    `(+${fmt(((withIdle.rss - before.rss) * 1024) / idleInstances, 1)} KB each), open descriptors ` +
    `${before.fds} → ${withIdle.fds}, CPU ${fmt(quietCpu / 1000 / (idleWindowMs / 1000), 1)} → ` +
    `${fmt(idleCpu / 1000 / (idleWindowMs / 1000), 1)} ms per second`,
);
for (const i of idle) i.sync.stop();
server.child.kill('SIGTERM');
await sleep(500);
process.exit(0);
