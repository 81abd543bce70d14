import type Database from 'better-sqlite3';
import type { Store } from '../src/db/store.js';
import { aggregateEvents, COUNTER_COLUMNS, dayRows } from '../src/db/aggregate.js';
import { localDayOf } from '../src/time/local-day.js';

/**
 * The baseline the benchmark compares against: the same HTTP path, validation and rollups, but every
 * event is written with its own INSERT and its own rollup upserts, each auto-committed (no batch
 * transaction, no multi-row INSERT, no pre-aggregation). This is what a first version usually does.
 */
export function naiveStore(store: Store & { db: Database.Database }, timeZone = 'UTC'): Store {
  const db = store.db;
  const cols = COUNTER_COLUMNS.join(', ');
  const q = COUNTER_COLUMNS.map(() => '?').join(', ');
  const add = COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  const insertBatch = db.prepare(
    'INSERT OR IGNORE INTO batches (site_id, batch_id, received_at, events, dropped) VALUES (?, ?, ?, ?, 0)',
  );
  const insertEvent = db.prepare(
    'INSERT INTO events (site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, ' +
      'bot_category, sample_rate, asn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const quarter = db.prepare(
    `INSERT INTO traffic_15m (site_id, start, ${cols}) VALUES (?, ?, ${q}) ON CONFLICT(site_id, start) DO UPDATE ` +
      `SET ${add}`,
  );
  const day = db.prepare(
    `INSERT INTO rollup_day (site_id, day, dim, key, extra, ${cols}) VALUES (?, ?, ?, ?, ?, ${q}) ON ` +
      `CONFLICT(site_id, day, dim, key) DO UPDATE SET ${add}`,
  );
  const errorBucket = db.prepare(
    'INSERT INTO errors_5s (site_id, start, errors) VALUES (?, ?, ?) ON CONFLICT(site_id, start) DO UPDATE SET ' +
      'errors = errors + excluded.errors',
  );
  const ipErrorBucket = db.prepare(
    'INSERT INTO ip_errors_5s (site_id, start, ip, errors) VALUES (?, ?, ?, ?) ON CONFLICT(site_id, start, ip) ' +
      'DO UPDATE SET errors = errors + excluded.errors',
  );
  const localDay = localDayOf(timeZone);
  return {
    ...store,
    async ingestBatch(siteId, batch) {
      if (insertBatch.run(siteId, batch.batchId, Date.now(), batch.events.length).changes === 0)
        return { accepted: 0, duplicate: true };
      for (const e of batch.events) {
        insertEvent.run(
          siteId,
          e.ts,
          e.ip,
          e.country,
          e.method,
          e.host,
          e.path,
          e.status,
          e.latencyMs,
          e.ua,
          e.action,
          e.rule,
          e.botCategory,
          e.sampleRate,
          e.asn ?? null,
        );
        const agg = aggregateEvents([e], localDay);
        for (const [start, v] of agg.quarters) quarter.run(siteId, start, ...v);
        for (const r of dayRows(agg)) day.run(siteId, r.day, r.dim, r.key, r.extra, ...r.values);
        for (const [start, errors] of agg.errors) errorBucket.run(siteId, start, errors);
        for (const [start, ips] of agg.ipErrors)
          for (const [ip, errors] of ips) ipErrorBucket.run(siteId, start, ip, errors);
      }
      return { accepted: batch.events.length, duplicate: false };
    },
  };
}
