/**
 * Threat-intelligence lists of a site: IPs and CIDR blocks per named source. Storage only, written
 * once over the `Executor`; parsing is `importers/iplist.ts`.
 */
import type { Executor } from './executor.js';

/** Most entries one source keeps, and most sources a site keeps. */
export const MAX_INTEL_ENTRIES = 100_000;
export const MAX_INTEL_SOURCES = 20;

export interface IntelStore {
  /** Replaces the source's entries with `values` (normalised IPs or CIDR blocks). */
  replaceIntel(siteId: string, source: string, values: readonly string[], now: number): Promise<void>;
  /** Every entry of the site, by source. */
  listIntel(siteId: string): Promise<Array<{ source: string; value: string }>>;
  /** The site's sources and how many entries each holds. */
  intelSources(siteId: string): Promise<Array<{ source: string; entries: number }>>;
}

/**
 * The `IntelStore` of a database (table `intel_entries`).
 *
 * @example
 * await intelStoreOn(sqliteExecutor(db)).replaceIntel(siteId, 'spamhaus-drop', ['192.0.2.0/24'], Date.now());
 */
export function intelStoreOn(db: Executor): IntelStore {
  return {
    async replaceIntel(siteId, source, values, now) {
      // One transaction: a report never reads the source empty or half replaced.
      await db.batch([
        { sql: 'DELETE FROM intel_entries WHERE site_id = $1 AND source = $2', params: [siteId, source] },
        ...[...new Set(values)].map((value) => ({
          sql: 'INSERT INTO intel_entries (site_id, source, value, added_at) VALUES ($1, $2, $3, $4)',
          params: [siteId, source, value, now],
        })),
      ]);
    },
    listIntel(siteId) {
      return db.all<{ source: string; value: string }>(
        `SELECT source, value FROM intel_entries WHERE site_id = $1 ORDER BY source${db.binary}, value${db.binary}`,
        [siteId],
      );
    },
    async intelSources(siteId) {
      const rows = await db.all<{ source: string; entries: number }>(
        `SELECT source, count(*) AS entries FROM intel_entries WHERE site_id = $1 GROUP BY source
         ORDER BY source${db.binary}`,
        [siteId],
      );
      return rows.map((row) => ({ source: row.source, entries: Number(row.entries) }));
    },
  };
}
