import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import {
  buildDailyReport,
  refreshCases,
  createApp,
  openSqliteStore,
  type DailyReport,
  type Site,
  type Store,
} from '@watchpost/report-api';
import { startDemoApps } from './apps.js';
import { createSimulatedClock } from './clock.js';
import { createRandom } from './random.js';
import { demoDays } from './plan.js';
import { closeServer, listenLocal } from './listen.js';
import { buildScenario, type Scenario } from './scenario.js';
import { playTraffic, type TrafficResult } from './traffic.js';

/** Options of {@link startDemo}; every one has a default. */
export interface DemoOptions {
  /** SQLite file to fill. Default: a new temporary directory, deleted on close. */
  dbPath?: string;
  /** Delete `dbPath` first when it exists (without it, an existing file is refused). */
  fresh?: boolean;
  /** Port of the report API on 127.0.0.1; 0 picks a free one. Default 8787. */
  port?: number;
  seed?: number;
  /** About how many requests the main day has (a partial day gets its share). Default 12,000. */
  size?: number;
  /** Requests of the previous day. Default half of `size`. */
  previousSize?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  siteName?: string;
  timeZone?: string;
  homeCountry?: string;
  /** Wall clock, which decides the days played. Default `Date.now`. */
  now?: () => number;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /** Aborting stops the traffic early; `startDemo` then cleans up and rejects with an AbortError. */
  signal?: AbortSignal;
}

/** A running demo. */
export interface DemoHandle {
  reportApiUrl: string;
  /** The dashboard's sign-in page: paste `adminKey` there (keys never travel in URLs). */
  dashboardUrl: string;
  /** The triage page of the demo site (after signing in): its cases, to deny, dismiss or ticket. */
  triageUrl: string;
  site: Site;
  adminKey: string;
  ingestKey: string;
  apps: { express: string; hono: string };
  /** The local dates played: the main day (open this one) and the day before. */
  date: string;
  previousDate: string;
  traffic: { previous: TrafficResult; main: TrafficResult };
  /** The daily report of the main day, as the API serves it right after the traffic. */
  report: DailyReport;
  dbPath: string;
  /** Stops the apps (flushing their events), the report API and the database. Safe to call twice. */
  close(): Promise<void>;
}

function openDatabase(dbPath: string | undefined, fresh: boolean): { path: string; store: Store; cleanup: () => void } {
  if (dbPath === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-demo-'));
    const path = join(dir, 'demo.db');
    return {
      path,
      store: openSqliteStore({ path, writerThread: true }),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const path = resolve(dbPath);
  if (existsSync(path)) {
    if (!fresh) throw new Error(`${path} already exists; pass --fresh to replace it, or choose another --db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  mkdirSync(dirname(path), { recursive: true });
  return { path, store: openSqliteStore({ path, writerThread: true }), cleanup: () => {} };
}

/**
 * Runs the whole product on one machine: the report API on SQLite, a demo site, the Express and
 * Hono example apps behind the middleware, and a simulated day (plus a smaller one before it)
 * played at high speed. Resolves once the traffic is played and every event is stored; the
 * servers keep running until `close()`.
 *
 * @example
 * const demo = await startDemo({ port: 0, size: 2000, log: console.log });
 * console.log(demo.dashboardUrl, demo.adminKey);
 * await demo.close();
 */
export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const {
    port = 8787,
    seed = 2026,
    size = 12_000,
    previousSize = Math.round(size / 2),
    concurrency = 8,
    siteName = 'Demo shop',
    timeZone = 'Asia/Tokyo',
    homeCountry = 'JP',
    now = Date.now,
    log = () => {},
  } = options;
  const db = openDatabase(options.dbPath, options.fresh ?? false);
  const closers: Array<() => Promise<void> | void> = [() => db.cleanup(), () => db.store.close()];
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const step of closers.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log(`while stopping: ${(error as Error).message}`);
      }
    }
  };

  try {
    const api = createAdaptorServer({ fetch: createApp({ store: db.store }).fetch }) as Server;
    const reportApiUrl = await listenLocal(api, port).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new Error(
        `port ${port} on 127.0.0.1 is in use (another watchpost serve or demo?); pass --port 0 for any free port`,
      );
    });
    closers.push(() => closeServer(api));
    const { site, ingestKey, adminKey } = await db.store.createSite({ name: siteName, timeZone, homeCountry });
    log(
      `report API on ${reportApiUrl}, database ${db.path}, site ${site.id} (${timeZone}, home country ${homeCountry})`,
    );

    const days = demoDays(now(), timeZone);
    const previous = buildScenario({
      seed: seed + 1,
      dayStart: days.previous.from,
      homeCountry,
      size: previousSize,
      incidents: { scanner: true },
    });
    const main = buildScenario({
      seed,
      dayStart: days.main.from,
      to: days.mainEnd,
      homeCountry,
      size,
      incidents: { scanner: true, credentialStuffing: true, outage: true },
    });
    const clock = createSimulatedClock(days.previous.from, now);
    let playing: Scenario = previous;
    const apps = await startDemoApps({
      reportApiUrl,
      ingestKey,
      clock,
      outages: () => playing.outages,
      random: createRandom(seed + 2).next,
    });
    closers.push(() => apps.close());
    log(`example apps: Express on ${apps.urls.express}, Hono on ${apps.urls.hono}`);

    const play = async (day: Scenario, date: string): Promise<TrafficResult> => {
      playing = day;
      log(`playing ${date}: ${day.requests.length} requests`);
      const result = await playTraffic({
        requests: day.requests,
        targets: apps.urls,
        clock,
        concurrency,
        progressEvery: 2_000,
        signal: options.signal,
        onProgress: (p) =>
          log(`  ${date} ${new Date(p.simulatedTs).toLocaleTimeString('en-GB', { timeZone })}  ${p.done}/${p.total}`),
      });
      log(`  ${result.sent} sent in ${(result.elapsedMs / 1000).toFixed(1)} s: ${summarise(result)}`);
      options.signal?.throwIfAborted();
      return result;
    };
    const traffic = { previous: await play(previous, days.previous.date), main: await play(main, days.main.date) };
    clock.release();
    const delivered = await apps.flush();
    log(`events stored: ${delivered.sent}${delivered.dropped > 0 ? `, ${delivered.dropped} dropped` : ''}`);
    const report = await buildDailyReport(db.store, site, days.main.date);
    const refusals = report.blocksByRule.filter((r) => r.rule.startsWith('rate:') || r.rule.startsWith('login:'));
    log(`rate rules and login detections: ${refusals.map((r) => `${r.rule} ${r.blocked}`).join(', ') || 'none'}`);
    // The day's recommendations become triage cases, ready on the dashboard's triage page.
    const cases = await refreshCases(db.store, site, days.main.date, now());
    log(`triage cases: ${cases.created} new`);

    return {
      reportApiUrl,
      // Signing in opens the day played (yesterday before 06:00 local time), not a nearly empty today.
      dashboardUrl: `${reportApiUrl}/dashboard/sign-in?next=${encodeURIComponent(
        `/dashboard/sites/${encodeURIComponent(site.id)}?date=${days.main.date}`,
      )}`,
      triageUrl: `${reportApiUrl}/dashboard/sites/${encodeURIComponent(site.id)}/triage`,
      site,
      adminKey,
      ingestKey,
      apps: apps.urls,
      date: days.main.date,
      previousDate: days.previous.date,
      traffic,
      report,
      dbPath: db.path,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function summarise(result: TrafficResult): string {
  const parts = Object.entries(result.statuses).map(([status, count]) => `${count}×${status}`);
  if (result.failed > 0) parts.push(`${result.failed} without answer`);
  return parts.join(', ');
}
