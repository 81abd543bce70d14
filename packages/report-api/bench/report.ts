// Benchmarks 2 and 3: report build time for one day of N generated events, and database bytes per
// million events. BENCH_EVENTS is a comma list of day sizes (default 1000000,10000000). Days up to
// 1M go through store.ingestBatch in 1,000-event batches (the ingest path minus HTTP); larger days
// drive the same ingestBatch with 50,000-event transactions, as the brief allows. One request in 120
// to /login is a POST login attempt (a hashed account from a pool of 5,000; a third fail) and one event
// in 200 is refused by a rate rule, so the `logins` and `rateLimited` sections (read from raw
// events) have work; their cost is printed apart (REPORT_BENCH_LOGINS=0 leaves those events out).
// BENCH_KEEP=1 BENCH_DIR=… keeps the databases; BENCH_REPORT_DB=…/report-10000000.db measures one again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { KIND_FILTERS, toEvent, type EventRow } from '../src/db/rows.js';
import type { EventKind, RateLimitedClient, StoredEvent } from '../src/db/store.js';
import type { EventBatch } from '@watchpost/middleware/protocol';
import { buildDailyReport } from '../src/reports/build.js';
import { buildLoginsSection, buildRateLimitedSection } from '../src/reports/logins.js';
import { generateDay } from './generate.js';
import { benchDir, fileBytes, fmt, median } from './util.js';

function sizes(): number[] {
  const text = process.env.BENCH_EVENTS ?? '1000000,10000000';
  return text.split(',').map((part) => {
    const n = Number(part.trim().replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new TypeError(`BENCH_EVENTS: ${part} is not a positive integer`);
    return n;
  });
}

interface TableSize {
  name: string;
  bytes: number;
}

function tableSizes(db: ReturnType<typeof openSqliteStore>['db']): TableSize[] {
  try {
    return db
      .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8')
      .all() as TableSize[];
  } catch {
    return []; // dbstat not compiled in
  }
}

const account = (n: number) => (n * 2654435761).toString(16).padStart(8, '0').slice(-8).repeat(4);

/** Marks some generated events as login attempts and rate-rule refusals, deterministically. */
export function withLoginsAndRates(batch: EventBatch, counter: { n: number }): EventBatch {
  if (process.env.REPORT_BENCH_LOGINS === '0') return batch;
  for (const e of batch.events) {
    const n = counter.n++;
    if (e.path === '/login' && n % 10 === 0) {
      e.method = 'POST';
      e.login = { outcome: n % 3 === 0 ? 'failed' : 'success', account: account(n % 5000) };
      if (e.login.outcome === 'failed') e.status = 401;
    } else if (n % 200 === 7 && e.action === 'allow') {
      Object.assign(e, { action: 'block', status: 429, rule: `rate:${n % 400 === 7 ? 'scrapers' : 'per-ip'}` });
    }
  }
  return batch;
}

/** Median of three warm runs of `fn`, in ms. */
async function warmMs(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function runReportBench(): Promise<void> {
  const dir = benchDir();
  const day = Date.UTC(2026, 2, 2);
  // BENCH_REPORT_DB: a database an earlier run left (BENCH_KEEP=1), measured again without generating it.
  const reuse = process.env.BENCH_REPORT_DB;
  const reused = reuse === undefined ? null : /report-(\d+)\.db$/.exec(reuse);
  if (reuse !== undefined && (reused === null || !existsSync(reuse)))
    throw new TypeError(`BENCH_REPORT_DB: ${reuse} is not a report-<events>.db this benchmark kept`);
  for (const events of reused ? [Number(reused[1])] : sizes()) {
    const path = reuse ?? join(dir, `report-${events}.db`);
    const store = openSqliteStore({ path });
    const site = reuse
      ? (await store.listSites())[0]!
      : (await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' })).site;
    if (!reuse) {
      const batchSize = events <= 1_000_000 ? 1000 : 50_000;
      const started = performance.now();
      const counter = { n: 0 };
      for (const batch of generateDay({ events, dayStart: day, batchSize }))
        await store.ingestBatch(site.id, withLoginsAndRates(batch, counter));
      // A little traffic on the days before, so the comparison has something to read.
      for (let back = 1; back <= 7; back++) {
        for (const batch of generateDay({ events: 10_000, dayStart: day - back * 86_400_000, seed: 100 + back }))
          await store.ingestBatch(site.id, batch);
      }
      const loadSeconds = (performance.now() - started) / 1000;
      console.log(
        `report ${fmt(events)} events: generated and ingested in ${fmt(loadSeconds, 1)} s ` +
          `(${fmt(events / loadSeconds)} events/s, ${fmt(batchSize)}-event batches)`,
      );
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fileBytes(path) + fileBytes(`${path}-wal`);
    const tables = tableSizes(store.db);
    await store.close();

    // Cold: a freshly opened database (OS page cache still warm; SQLite's own cache empty).
    const reopened = openSqliteStore({ path });
    const siteRow = (await reopened.getSite(site.id))!;
    let t = performance.now();
    const report = await buildDailyReport(reopened, siteRow, '2026-03-02');
    const cold = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await buildDailyReport(reopened, siteRow, '2026-03-02');
      warm.push(performance.now() - t);
    }
    // The login and rate sections read raw events (login and rate events of the day), not rollups.
    const range = { from: day, to: day + 86_400_000, timeZone: 'UTC' };
    const loginsMs = await warmMs(() => buildLoginsSection(reopened, site.id, range));
    const rateMs = await warmMs(() => buildRateLimitedSection(reopened, site.id, range));
    // The same two sections reading whole rows (every column, from the table), as before `listKind`
    // read them from the covering partial indexes alone (migration 0024); the rate clients grouped
    // in JS from those rows, as before `rateLimitedClients` grouped them in SQLite; and each top
    // client's peak minute from up to 10,000 of its rows listed, as before `peakMinute`.
    const wholeRows = {
      rateLimitedClients: async (siteId: string, q: { from: number; to: number; limit: number }) =>
        groupRateClients(await wholeRows.listKind(siteId, { ...q, kind: 'rate', limit: 200_000 }), q.limit),
      peakMinute: async (siteId: string, q: { from: number; to: number; ip: string }) => {
        const perMinute = new Map<number, number>();
        for (const e of await reopened.listEvents(siteId, { ...q, limit: 10_000 })) {
          const minute = Math.floor(e.ts / 60_000) * 60_000;
          perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1 / e.sampleRate);
        }
        const [minute, requests] = [...perMinute].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
        return requests === 0 ? null : { minute, requests };
      },
      listKind: async (siteId: string, q: { from: number; to: number; kind: EventKind; limit: number }) =>
        reopened.db
          .prepare<unknown[], EventRow>(
            `SELECT * FROM events INDEXED BY events_site_ts_${q.kind} WHERE site_id = ? AND ts >= ? AND ts < ?` +
              `${KIND_FILTERS[q.kind]} ORDER BY ts DESC, id DESC LIMIT ?`,
          )
          .all(siteId, q.from, q.to, q.limit)
          .map(toEvent),
    };
    const loginsScanMs = await warmMs(() => buildLoginsSection(wholeRows, site.id, range));
    const rateScanMs = await warmMs(() => buildRateLimitedSection(wholeRows, site.id, range));
    await reopened.close();
    if (Math.abs(report.totals.requests - events) > 0)
      throw new Error(`report counted ${report.totals.requests} of ${events} events`);
    console.log(
      `report ${fmt(events)} events: build ${fmt(cold)} ms cold, ${fmt(median(warm))} ms warm (median of 3); ` +
        `${fmt(report.totals.uniqueIps)} unique IPs, ${report.recommendations.length} ` +
        `recommendations, ${report.bursts.length} bursts`,
    );
    console.log(
      `report ${fmt(events)} events: of which logins ${fmt(loginsMs)} ms (${fmt(report.logins?.attempts ?? 0)} ` +
        `attempts) and rateLimited ${fmt(rateMs)} ms (${fmt(report.rateLimited?.totals.refused ?? 0)} refused); ` +
        `without them about ${fmt(Math.max(0, median(warm) - loginsMs - rateMs))} ms (SQLite reads are synchronous: ` +
        `the report pays the sum)`,
    );
    console.log(
      `report ${fmt(events)} events: reading whole rows instead, logins ${fmt(loginsScanMs)} ms and rateLimited ` +
        `${fmt(rateScanMs)} ms (${fmt((loginsScanMs + rateScanMs) / Math.max(0.001, loginsMs + rateMs), 1)}× the time)`,
    );
    const total = events + 70_000;
    console.log(
      `size ${fmt(events)} events: ${fmt(bytes / 1e6, 1)} MB on disk = ${fmt(bytes / (total / 1e6) / 1e6, 1)} MB ` +
        `per million events`,
    );
    if (tables.length > 0)
      console.log(`  largest: ${tables.map((x) => `${x.name} ${fmt(x.bytes / 1e6, 1)} MB`).join(', ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runReportBench();

/** Rate-rule events grouped by client in JS, the way the report did before `rateLimitedClients`. */
function groupRateClients(events: readonly StoredEvent[], limit: number) {
  const clients = new Map<string, RateLimitedClient>();
  const totals = { clients: 0, refused: 0, counted: 0 };
  for (const e of events) {
    let c = clients.get(e.ip);
    if (!c) {
      c = { ip: e.ip, country: e.country, rules: [], refused: 0, counted: 0, firstRefused: null, lastRefused: null };
      clients.set(e.ip, c);
    }
    const rule = e.rule!.slice('rate:'.length);
    if (!c.rules.includes(rule)) c.rules.push(rule);
    if (e.action === 'block') {
      c.refused += 1 / e.sampleRate;
      totals.refused += 1 / e.sampleRate;
      c.firstRefused = Math.min(c.firstRefused ?? e.ts, e.ts);
      c.lastRefused = Math.max(c.lastRefused ?? e.ts, e.ts);
    } else if (e.action === 'count') {
      c.counted += 1 / e.sampleRate;
      totals.counted += 1 / e.sampleRate;
    }
  }
  totals.clients = clients.size;
  const sorted = [...clients.values()].sort((a, b) => b.refused - a.refused || b.counted - a.counted);
  return { clients: sorted.slice(0, limit), totals };
}
