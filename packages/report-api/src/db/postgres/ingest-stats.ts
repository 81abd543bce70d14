import type pg from 'pg';
import { ingestStatsOf, type IngestStatsRow, type IngestStatsStore } from '../ingest-stats.js';
import { rows, statement } from './pool.js';

const bySource = statement(
  `SELECT source, count(*) AS batches, sum(events) AS events, sum(rejected) AS rejected, sum(dropped) AS dropped
   FROM batches WHERE site_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY source ORDER BY source`,
);

/**
 * `IngestStatsStore` on PostgreSQL: one grouped scan of the site's `batches` rows in the range.
 *
 * @example
 * const stats = postgresIngestStatsStore(pool);
 * await stats.ingestStats(siteId, 0, Date.now());
 */
export function postgresIngestStatsStore(pool: pg.Pool): IngestStatsStore {
  return {
    async ingestStats(siteId, from, to) {
      return ingestStatsOf(await rows<IngestStatsRow>(pool, bySource, [siteId, from, to]));
    },
  };
}
