// Alerts benchmark, two comparisons in the same run:
// 1. One monitor tick (bursts, bans, 5xx-instead-of-403, baseline) read from rollups, beside the
//    alternative of evaluating the same windows straight from raw events, on a site with
//    BENCH_ALERT_EVENTS events (default 200,000) in its last ten minutes.
// 2. Ingest latency (app.request, 500-event batches) with no alerting, beside alerting running
//    (monitor ticking every second, ten times the default rate) while an open incident's webhook hangs.
// `tsx bench/alerts.ts` alone, or through `bench/run.ts`. Numbers only; never part of `test`.
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAlertMonitor } from '../src/alerts/detect.js';
import { createAlertService } from '../src/alerts/service.js';
import { createApp } from '../src/app.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { prng } from './generate.js';
import { benchDir, envInt, fmt, median } from './util.js';

const MINUTE = 60_000;

function events(count: number, from: number, spanMs: number, seed: number): WatchpostEvent[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const status = random() < 0.9 ? 200 : random() < 0.6 ? 404 : 503;
    return {
      ts: from + Math.floor((i / count) * spanMs),
      ip: `10.${Math.floor(random() * 20)}.${Math.floor(random() * 250)}.1`,
      country: 'JP',
      method: 'GET',
      host: 'shop.example',
      path: `/p/${Math.floor(random() * 500)}`,
      status,
      latencyMs: 3,
      ua: 'Mozilla/5.0',
      action: random() < 0.01 ? 'count' : 'allow',
      rule: null,
      botCategory: null,
      sampleRate: 1,
    } satisfies WatchpostEvent;
  });
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function tickBench(dir: string): Promise<void> {
  const count = envInt('BENCH_ALERT_EVENTS', 200_000);
  const now = Date.parse('2026-03-03T05:10:00Z');
  const store = openSqliteStore({ path: join(dir, 'tick.db'), now: () => now });
  const { site } = await store.createSite({ name: 'bench', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  const all = events(count, now - 10 * MINUTE, 10 * MINUTE, 7);
  for (let i = 0; i < all.length; i += 5000) {
    await store.ingestBatch(site.id, {
      batchId: `tick-${String(i).padStart(8, '0')}`,
      source: 'express',
      events: all.slice(i, i + 5000),
    });
  }
  const monitor = createAlertMonitor({ store, now: () => now, notify: () => {}, baseline: { everyMs: 0 } });
  const rollupMs = await time(15, () => monitor.tick());
  // The alternative: the same questions asked of raw events (indexed by site and time).
  const bursts = store.db.prepare(
    `SELECT (ts / 30000) * 30000 AS start, SUM(1.0 / sample_rate) AS errors FROM events
     WHERE site_id = ? AND ts >= ? AND ts < ? AND status >= 400 GROUP BY start HAVING errors > 100`,
  );
  const clients = store.db.prepare(
    `SELECT ip, SUM(CASE WHEN status >= 500 THEN 1.0 / sample_rate END) AS e5,
            SUM(CASE WHEN status BETWEEN 400 AND 499 THEN 1.0 / sample_rate END) AS e4,
            SUM(action != 'allow') AS flagged
       FROM events WHERE site_id = ? AND ts >= ? AND ts < ? GROUP BY ip HAVING e5 >= 20`,
  );
  const hourly = store.db.prepare(
    `SELECT SUM(1.0 / sample_rate) AS requests FROM events WHERE site_id = ? AND ts >= ? AND ts < ?`,
  );
  const rawMs = await time(15, async () => {
    bursts.all(site.id, now - 2 * MINUTE, now);
    clients.all(site.id, now - 5 * MINUTE, now);
    hourly.get(site.id, now - 60 * MINUTE, now);
  });
  console.log(
    `alerts: one monitor tick over ${fmt(count)} events in 10 min: rollups ${fmt(rollupMs, 2)} ms (median of 15) ` +
      `vs raw-event scan ${fmt(rawMs, 2)} ms -> ${fmt(rawMs / rollupMs, 1)}x`,
  );
  await store.close();
}

async function ingestBench(dir: string): Promise<void> {
  const batches = envInt('BENCH_ALERT_BATCHES', 100);
  const hanging = createServer(() => {}); // accepts and never answers
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
  const results: Record<string, number[]> = {};
  for (const [index, mode] of ['no alerting', 'alerting, hanging webhook'].entries()) {
    const store = openSqliteStore({ path: join(dir, `ingest-${index}.db`) });
    const created = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: null });
    await store.addWebhook(created.site.id, url, Date.now());
    const app = createApp({ store });
    const service =
      mode === 'no alerting'
        ? null
        : createAlertService({
            store,
            publicUrl: null,
            tickMs: 1000,
            delivery: { timeoutMs: 60_000 },
            logError: () => {},
          });
    await service?.start();
    const latencies: number[] = [];
    // The first 10 batches warm up the JIT and SQLite's cache and are not counted.
    for (let i = -10; i < batches; i++) {
      // Every batch is a burst of 503s, so the incident is open and its webhook is hanging throughout.
      const batch = events(500, Date.now() - 1000, 500, i + 10).map((event) => ({ ...event, status: 503 }));
      const started = performance.now();
      const response = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${created.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batchId: `ingest-${String(i + 10).padStart(8, '0')}`,
          source: 'express',
          events: batch,
        }),
      });
      if (i >= 0) latencies.push(performance.now() - started);
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const inFlight = service?.queue.stats().active ?? 0;
    await service?.stop(0);
    await store.close();
    results[mode] = latencies;
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `alerts: ingest of ${batches} x 500 events, ${mode}: p50 ${fmt(median(latencies), 2)} ms, ` +
        `p95 ${fmt(sorted[Math.floor(sorted.length * 0.95)]!, 2)} ms${
          service ? `, deliveries hanging at the end: ${inFlight}` : ''
        }`,
    );
  }
  const [plain, alerting] = Object.values(results) as [number[], number[]];
  console.log(`alerts: ingest p50 with alerting / without: ${fmt(median(alerting) / median(plain), 2)}x`);
  hanging.closeAllConnections();
  hanging.close();
}

/** Runs both comparisons and prints one line per number. */
export async function runAlertsBench(): Promise<void> {
  const dir = benchDir();
  await tickBench(dir);
  await ingestBench(dir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  await runAlertsBench();
  process.exit(0);
}
