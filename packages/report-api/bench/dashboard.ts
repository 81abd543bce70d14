// Dashboard benchmark: time to gather one drill-down page's data through the dashboard
// (DrillDownStore.sliceSummary: one scan, plus the previous day from rollups), side by side with the
// alternative of reading raw events (listEvents, capped at 10,000 rows) and aggregating them in
// JavaScript; plus the time to build and render the pages.
// Run on demand: `npx tsx bench/dashboard.ts` (BENCH_DASHBOARD_EVENTS, default 300000). Never in `test`.
// The country and path pages seek per minute in (site_id, ts / 60000, country|path); the next line
// reads the same rows by scanning the whole day through (site_id, ts), as the pages did before.
import { join } from 'node:path';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { storeDashboardData } from '../src/dashboard/data.js';
import { renderIpPage } from '../src/dashboard/pages/ip.js';
import { renderReportPage } from '../src/dashboard/pages/report.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { localDayRange } from '../src/time/days.js';
import { benchDir, envInt, fmt, median } from './util.js';
import { createRandom } from '../test/support/random.js';

const EVENTS = envInt('BENCH_DASHBOARD_EVENTS', 300_000);
const RUNS = envInt('BENCH_RUNS', 5);
const DATE = '2026-03-02';
const COUNTRIES = ['JP', 'US', 'CN', 'DE', 'FR', 'GB', 'BR', 'IN', 'KR', 'RU', null] as const;

function* generate(from: number, count: number): Generator<WatchpostEvent> {
  const rand = createRandom(42).next;
  for (let i = 0; i < count; i++) {
    // Skewed: IP k is picked about 1/k as often, so the top IPs carry thousands of events.
    const ipIndex = Math.min(4999, Math.floor(Math.exp(rand() * Math.log(5000))));
    const status = rand() < 0.9 ? 200 : rand() < 0.8 ? 404 : 503;
    yield {
      ts: from + Math.floor(rand() * 86_400_000),
      ip: `10.${ipIndex >> 8}.${ipIndex & 255}.${1 + (ipIndex % 7)}`,
      country: COUNTRIES[ipIndex % COUNTRIES.length]!,
      method: 'GET',
      host: 'bench.example',
      path: `/p/${Math.floor(rand() * rand() * 300)}`,
      status,
      latencyMs: 5,
      ua: `agent-${ipIndex % 40}`,
      action: status === 404 && rand() < 0.2 ? 'block' : 'allow',
      rule: null,
      botCategory: ipIndex % 13 === 0 ? 'crawler' : null,
      sampleRate: 1,
    };
  }
}

type Store = ReturnType<typeof openSqliteStore>;

/** The alternative: raw events through listEvents, aggregated in JavaScript (what the IP page needs). */
async function naiveIpDetail(store: Store, siteId: string, ip: string, range: { from: number; to: number }) {
  const events = await store.listEvents(siteId, { ...range, ip, limit: 10_000 });
  const groups = (key: (e: WatchpostEvent) => string) => {
    const map = new Map<string, number>();
    for (const e of events) map.set(key(e), (map.get(key(e)) ?? 0) + 1 / e.sampleRate);
    return [...map].sort((a, b) => b[1] - a[1]).slice(0, 25);
  };
  const hours = new Array<number>(24).fill(0);
  for (const e of events) hours[Math.floor((e.ts - range.from) / 3_600_000)]! += 1 / e.sampleRate;
  return {
    rows: events.length,
    paths: groups((e) => e.path),
    uas: groups((e) => e.ua),
    statuses: groups((e) => String(e.status)),
    countries: groups((e) => String(e.country)),
    decisions: groups((e) => `${e.action}:${e.rule}`),
    hours,
  };
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const store = openSqliteStore({ path: join(benchDir(), 'dashboard.db') });
const { site } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
const range = localDayRange(DATE, 'UTC');
let batch: WatchpostEvent[] = [];
let n = 0;
const loadStart = performance.now();
for (const e of generate(range.from, EVENTS)) {
  batch.push(e);
  if (batch.length === 5000) {
    await store.ingestBatch(site.id, { batchId: `bench-${n++}`, source: 'demo', events: batch });
    batch = [];
  }
}
if (batch.length) await store.ingestBatch(site.id, { batchId: `bench-${n}`, source: 'demo', events: batch });
console.log(
  `dashboard bench: ${fmt(EVENTS)} events in one day loaded in ${fmt(performance.now() - loadStart)} ms; median ` +
    `of ${RUNS} runs; node ${process.version}`,
);

const data = storeDashboardData(store, { now: () => range.to });
const ranked = await store.topDimension(site.id, DATE, 'ip', { orderBy: 'requests', limit: 1000 });
const ips = [0, 9, 99, 999].map((rank) => ranked[rank]?.key).filter((ip): ip is string => ip !== undefined);
const top = { key: ips[0]! };
console.log('\nIP page data (rank)  events  dashboard (ms)  listEvents + JS (ms)  JS/dashboard  JS saw');
for (const ip of ips) {
  const events = Math.round(ranked.find((r) => r.key === ip)?.requests ?? 0);
  const sql = await time(() => data.ipDetail(site, ip, DATE));
  let seen = 0;
  const naive = await time(async () => (seen = (await naiveIpDetail(store, site.id, ip, range)).rows));
  console.log(
    `${ip.padEnd(18)} ${fmt(events).padStart(7)}  ${fmt(sql, 2).padStart(14)}  ${fmt(naive, 2).padStart(20)} ` +
      ` ${fmt(naive / sql, 2).padStart(12)}  ${seen < events ? `${fmt(seen)} of ${fmt(events)} (capped)` : 'all'}`,
  );
}

const countryEvents = Math.round((await store.getDimensionRows(site.id, DATE, 'country', ['JP']))[0]?.requests ?? 0);
const pathEvents = Math.round((await store.getDimensionRows(site.id, DATE, 'path', ['/p/0']))[0]?.requests ?? 0);
const countryMs = await time(() => data.countryDetail(site, 'JP', DATE));
const pathMs = await time(() => data.pathDetail(site, '/p/0', DATE));
console.log(
  `\ncountry page data (JP, ${fmt(countryEvents)} events): ${fmt(countryMs, 2)} ms; path page data ` +
    `(/p/0, ${fmt(pathEvents)} events): ${fmt(pathMs, 2)} ms`,
);

// The alternative the pages used before the minute indexes: read the whole day through (site_id, ts)
// and keep the slice's rows (only the read is timed here, no aggregation: a lower bound of its cost).
const dayScan = (column: 'country' | 'path', value: string) => () => {
  let rows = 0;
  for (const _ of store.db
    .prepare(
      `SELECT ts, ip, country, path, ua, status, action, rule, bot_category, sample_rate
         FROM events INDEXED BY events_site_ts WHERE site_id = ? AND ts >= ? AND ts < ? AND ${column} = ?`,
    )
    .iterate(site.id, range.from, range.to, value))
    rows++;
  return rows;
};
const countryScan = await time(dayScan('country', 'JP'));
const pathScan = await time(dayScan('path', '/p/0'));
console.log(
  `day scan through (site_id, ts), read only: country ${fmt(countryScan, 2)} ms ` +
    `(${fmt(countryScan / countryMs, 1)}x the page), path ${fmt(pathScan, 2)} ms (${fmt(pathScan / pathMs, 1)}x ` +
    `the page)`,
);

const report = await data.dailyReport(site, DATE);
const detail = await data.ipDetail(site, top.key!, DATE);
const viewer = { csrfToken: 'x'.repeat(43) };
const reportRender = await time(() => renderReportPage({ report, today: DATE, viewer }).toString());
const ipRender = await time(() => renderIpPage({ detail, today: DATE, viewer }).toString());
const reportBuild = await time(() => data.dailyReport(site, DATE));
console.log(
  `report page: build ${fmt(reportBuild, 2)} ms + render ${fmt(reportRender, 2)} ms ` +
    `(${fmt(renderReportPage({ report, today: DATE, viewer }).toString().length / 1024, 1)} KiB); IP page ` +
    `render ${fmt(ipRender, 2)} ms`,
);
await store.close();
