import type { EventSource } from '@watchpost/middleware/protocol';

/** Ingest counters of one site over a time range (by batch receipt time), total or per source. */
export interface IngestCounts {
  /** Batches stored (duplicates are not counted twice). */
  batches: number;
  /** Events stored. */
  events: number;
  /** Events refused one by one by `POST /v1/events` validation (or an import's). */
  rejected: number;
  /** Events the senders reported dropping before sending (`dropped` of each batch). */
  dropped: number;
}

/** `IngestCounts` of a site, with the same counts per `source`. */
export interface IngestStats extends IngestCounts {
  sources: Array<IngestCounts & { source: EventSource }>;
}

/** Per-site ingest statistics, from the `batches` rows (kept for the retention window; import rows for good). */
export interface IngestStatsStore {
  /**
   * Counts of the batches of `siteId` received in `from <= receivedAt < to`.
   *
   * @example
   * await store.ingestStats(siteId, Date.now() - 86_400_000, Date.now());
   * // { batches: 12, events: 11890, rejected: 3, dropped: 0, sources: [...] }
   */
  ingestStats(siteId: string, from: number, to: number): Promise<IngestStats>;
}

/** Row shape both stores' queries return: one per source. */
export interface IngestStatsRow {
  source: EventSource;
  batches: number | string;
  events: number | string | null;
  rejected: number | string | null;
  dropped: number | string | null;
}

/**
 * Folds per-source rows (numbers, or numeric text from PostgreSQL) into `IngestStats`.
 *
 * @example
 * ingestStatsOf([{ source: 'express', batches: 2, events: 10, rejected: 1, dropped: 0 }]);
 */
export function ingestStatsOf(rows: readonly IngestStatsRow[]): IngestStats {
  const total: IngestStats = { batches: 0, events: 0, rejected: 0, dropped: 0, sources: [] };
  for (const row of rows) {
    const counts = {
      source: row.source,
      batches: Number(row.batches),
      events: Number(row.events ?? 0),
      rejected: Number(row.rejected ?? 0),
      dropped: Number(row.dropped ?? 0),
    };
    total.sources.push(counts);
    total.batches += counts.batches;
    total.events += counts.events;
    total.rejected += counts.rejected;
    total.dropped += counts.dropped;
  }
  return total;
}
