import type Database from 'better-sqlite3';
import { ingestStatsOf, type IngestStatsRow, type IngestStatsStore } from '../ingest-stats.js';

/**
 * `IngestStatsStore` on SQLite: one grouped scan of the site's `batches` rows in the range.
 *
 * @example
 * const stats = sqliteIngestStatsStore(db);
 * await stats.ingestStats(siteId, 0, Date.now());
 */
export function sqliteIngestStatsStore(db: Database.Database): IngestStatsStore {
  const bySource = db.prepare<[string, number, number], IngestStatsRow>(
    `SELECT source, count(*) AS batches, sum(events) AS events, sum(rejected) AS rejected, sum(dropped) AS dropped
     FROM batches WHERE site_id = ? AND received_at >= ? AND received_at < ? GROUP BY source ORDER BY source`,
  );
  return {
    async ingestStats(siteId, from, to) {
      return ingestStatsOf(bySource.all(siteId, from, to));
    },
  };
}
