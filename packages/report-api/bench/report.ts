// Benchmarks 2 and 3: report build time for one day of N generated events, and database bytes per
// million events. BENCH_EVENTS is a comma list of day sizes (default 1000000,10000000). Days up to
// 1M go through store.ingestBatch in 1,000-event batches (the ingest path minus HTTP); larger days
// drive the same ingestBatch with 50,000-event transactions, as the brief allows.
import { join } from 'node:path';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { buildDailyReport } from '../src/reports/build.js';
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

export async function runReportBench(): Promise<void> {
  const dir = benchDir();
  const day = Date.UTC(2026, 2, 2);
  for (const events of sizes()) {
    const path = join(dir, `report-${events}.db`);
    const store = openSqliteStore({ path });
    const { site } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
    const batchSize = events <= 1_000_000 ? 1000 : 50_000;
    const started = performance.now();
    for (const batch of generateDay({ events, dayStart: day, batchSize })) await store.ingestBatch(site.id, batch);
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
    await reopened.close();
    if (Math.abs(report.totals.requests - events) > 0)
      throw new Error(`report counted ${report.totals.requests} of ${events} events`);
    console.log(
      `report ${fmt(events)} events: build ${fmt(cold)} ms cold, ${fmt(median(warm))} ms warm (median of 3); ` +
        `${fmt(report.totals.uniqueIps)} unique IPs, ${report.recommendations.length} ` +
        `recommendations, ${report.bursts.length} bursts`,
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
