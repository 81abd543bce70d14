import type pg from 'pg';
import type { EventBatch } from '@watchpost/middleware/protocol';
import { assertStorable } from '../storable.js';
import {
  MAX_KIND_LIST,
  MAX_PROBED_PATHS,
  PROBE_ROWS,
  type BatchStats,
  type EventKind,
  type EventQuery,
  type EventStore,
  type IngestResult,
} from '../store.js';
import { aggregateEvents } from '../aggregate.js';
import { changes, rows, statement, transaction, type Statement } from './pool.js';
import { writeRollups } from './rollup-writer.js';
import { copyEvents } from './copy-events.js';
import { dayPartitions } from './partitions.js';
import {
  KIND_COLUMNS,
  KIND_FILTERS,
  rateLimitedSql,
  toEvent,
  toKindEvent,
  toRateLimitedClient,
  type EventRow,
  type KindRow,
  type RateClientRow,
} from '../rows.js';

const MAX_LIST = 10_000;
// Each kind's partial index holds every column these select: an index-only scan once vacuumed.
const kindStatement = (kind: EventKind) =>
  statement(
    `SELECT ${KIND_COLUMNS} FROM events WHERE site_id = $1 AND ts >= $2 AND ts < $3${KIND_FILTERS[kind]} ` +
      'ORDER BY ts DESC, id DESC LIMIT $4',
  );
const listKind = { login: kindStatement('login'), rate: kindStatement('rate') };
const rateSql = rateLimitedSql({
  from: 'events',
  json: 'json_agg',
  collate: ' COLLATE "C"',
  n: ['$1', '$2', '$3', '$4'],
});
const rateClients = statement(rateSql.clients);
const rateTotals = statement(rateSql.totals.replace('count(DISTINCT ip)', 'count(DISTINCT ip)::int'));
// Grouped in the database through (site_id, ip, ts): one row back however many events the client sent.
const peakMinute = statement(
  'SELECT ts / 60000 * 60000 AS minute, sum(1.0 / sample_rate)::float8 AS requests FROM events ' +
    'WHERE site_id = $1 AND ip = $2 AND ts >= $3 AND ts < $4 ' +
    'GROUP BY ts / 60000 ORDER BY requests DESC, minute LIMIT 1',
);
// The client's latest probe events, from the probes' partial index (0020), at most PROBE_ROWS of them.
const probedPaths = statement(
  'SELECT path FROM events WHERE site_id = $1 AND ip = $2 AND ts >= $3 AND ts < $4 ' +
    `AND rule LIKE 'probe%' ORDER BY ts DESC LIMIT ${PROBE_ROWS}`,
);
/** Rows one retention DELETE removes: a purge never holds many row locks or a long transaction. */
const PURGE_CHUNK = 20_000;

const insertBatch = statement(
  `INSERT INTO batches (site_id, batch_id, received_at, events, dropped, source, rejected) VALUES ($1, $2, $3, ` +
    `$4, $5, $6, $7)
   ON CONFLICT (site_id, batch_id) DO NOTHING`,
);
const EVENT_COLUMNS =
  'id, site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, bot_category, ' +
  'sample_rate, asn, login_outcome, login_account, bot_name';

const purgeSites = statement('SELECT id FROM sites ORDER BY id');
const purgeEvents = statement(
  // `ts < $2` outside as well: only the partitions that can hold such rows are looked in.
  `DELETE FROM events WHERE ts < $2 AND id IN (SELECT id FROM events WHERE site_id = $1 AND ts < $2 ` +
    `LIMIT ${PURGE_CHUNK})`,
);
const purgeIpWindows = statement('DELETE FROM ip_errors_5s WHERE site_id = $1 AND start < $2');
// Import batch ids (about one per 1,000 log lines) are kept for good: re-importing a file after the
// retention window must still be recognised as a duplicate.
const purgeBatches = statement("DELETE FROM batches WHERE site_id = $1 AND received_at < $2 AND source <> 'import'");
const purgeLeases = statement('DELETE FROM leases WHERE expires_at < $1');
// One purge at a time across every report-api instance on this database and schema; the others skip.
const tryPurgeLock = statement(
  "SELECT pg_try_advisory_lock(hashtext('watchpost.purge.' || current_schema())) AS locked",
);
const purgeUnlock = statement("SELECT pg_advisory_unlock(hashtext('watchpost.purge.' || current_schema()))");

/**
 * Raw events and rollups on PostgreSQL. `localDayOfSite(siteId)` gives the mapper to the site's local
 * day (null for an unknown site).
 *
 * **One transaction per batch, exactly once across instances.** The batch id row, the raw events
 * and the rollup upserts commit together. The batch id goes in first with `ON CONFLICT DO NOTHING`:
 * when two report-api instances get the same batch at once (a retry sent to another instance), the
 * second insert waits for the first transaction and then finds the id (duplicate, nothing written),
 * or, if the first rolled back, stores the batch itself. Rollups are never held in memory, so every
 * instance reads what any instance wrote as soon as it committed.
 *
 * @example
 * const events = postgresEventStore(pool, localDayOfSite, Date.now);
 * await events.ingestBatch(siteId, batch); // { accepted: 1000, duplicate: false }
 */
export function postgresEventStore(
  pool: pg.Pool,
  localDayOfSite: (siteId: string) => Promise<((ms: number) => string) | null>,
  now: () => number,
): EventStore {
  const listStatements = new Map<string, Statement>();
  const listStatement = (query: EventQuery): Statement => {
    const clauses: string[] = [];
    let n = 3;
    if (query.ip !== undefined) clauses.push(` AND ip = $${++n}`);
    if (query.country === null) clauses.push(' AND country IS NULL');
    else if (query.country !== undefined) clauses.push(` AND country = $${++n}`);
    if (query.path !== undefined) clauses.push(` AND path = $${++n}`);
    const key = clauses.join('');
    let found = listStatements.get(key);
    if (!found) {
      found = statement(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE site_id = $1 AND ts >= $2 AND ts < $3${key} ORDER BY ts DESC, ` +
          `id DESC LIMIT $${n + 1}`,
      );
      listStatements.set(key, found);
    }
    return found;
  };

  const partitions = dayPartitions(pool, now);

  return {
    async ingestBatch(siteId: string, batch: EventBatch, _json?: string, stats?: BatchStats): Promise<IngestResult> {
      const localDay = await localDayOfSite(siteId);
      if (localDay === null) throw new Error(`unknown site ${siteId}`);
      // Checked and folded before BEGIN: the transaction (and the rollup row locks it takes) stays
      // short, and a batch the rollups cannot take fails with nothing written.
      assertStorable(batch.events, localDay);
      // A sampled import: the rollups count every event, the raw rows are the ones kept.
      const counted = stats?.rollupEvents ?? batch.events;
      if (counted !== batch.events) assertStorable(counted, localDay);
      const aggregate = counted.length > 0 ? aggregateEvents(counted, localDay) : null;
      // The days' partitions first, outside the batch's transaction (creating one locks the table).
      await partitions.ensure(batch.events.map((e) => e.ts));
      return transaction(pool, async (client) => {
        const fresh =
          (await changes(client, insertBatch, [
            siteId,
            batch.batchId,
            now(),
            batch.events.length,
            batch.dropped ?? 0,
            batch.source,
            stats?.rejected ?? 0,
          ])) > 0;
        if (!fresh) return { accepted: 0, duplicate: true };
        if (batch.events.length > 0) await copyEvents(client, siteId, batch.events);
        if (aggregate) await writeRollups(client, siteId, aggregate);
        return { accepted: batch.events.length, duplicate: false };
      });
    },
    async rateLimitedClients(siteId, { from, to, limit }) {
      const max = Math.max(0, Math.min(MAX_LIST, Math.floor(limit)));
      const [clients, [totals]] = await Promise.all([
        rows<RateClientRow>(pool, rateClients, [siteId, from, to, max]),
        rows<{ clients: number; refused: number | null; counted: number | null }>(pool, rateTotals, [siteId, from, to]),
      ]);
      return {
        clients: clients.map(toRateLimitedClient),
        totals: {
          clients: totals?.clients ?? 0,
          refused: Number(totals?.refused ?? 0),
          counted: Number(totals?.counted ?? 0),
        },
      };
    },
    async peakMinute(siteId, { from, to, ip }) {
      const [row] = await rows<{ minute: string | number; requests: number }>(pool, peakMinute, [siteId, ip, from, to]);
      return row === undefined ? null : { minute: Number(row.minute), requests: row.requests };
    },
    async probedPaths(siteId, { from, to, ip, limit }) {
      const found = await rows<{ path: string }>(pool, probedPaths, [siteId, ip, from, to]);
      const paths = [...new Set(found.map((row) => row.path))];
      return paths.slice(0, Math.max(0, Math.min(MAX_PROBED_PATHS, Math.floor(limit))));
    },
    async listKind(siteId, { from, to, kind, limit }) {
      const cap = Math.max(0, Math.min(MAX_KIND_LIST, Math.floor(limit)));
      return (await rows<KindRow>(pool, listKind[kind], [siteId, from, to, cap])).map(toKindEvent);
    },
    async listEvents(siteId, query) {
      const values: unknown[] = [siteId, query.from, query.to];
      if (query.ip !== undefined) values.push(query.ip);
      if (query.country !== undefined && query.country !== null) values.push(query.country);
      if (query.path !== undefined) values.push(query.path);
      values.push(Math.max(0, Math.min(MAX_LIST, Math.floor(query.limit))));
      return (await rows<EventRow>(pool, listStatement(query), values)).map(toEvent);
    },
    async purgeBefore(before) {
      const purged = await purgeOnce(before);
      // Hourly with the purge: today's and the next days' partitions, so ingest seldom makes one.
      await partitions.ahead();
      return purged;
    },
  };

  async function purgeOnce(before: number): Promise<{ events: number }> {
    // A session-level lock lives on one connection: the whole purge runs on it, chunk by chunk
    // (each DELETE its own short transaction).
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const [lock] = await rows<{ locked: boolean }>(client, tryPurgeLock, []);
      if (!lock?.locked) return { events: 0 };
      try {
        // Whole days go with their partitions; the rest (the day the cutoff falls in, events_before,
        // the default partition) a chunk of rows at a time.
        let deleted = await partitions.drop(client, before);
        for (const { id } of await rows<{ id: string }>(client, purgeSites, [])) {
          for (let round = 0; round < 100_000; round++) {
            const removed = await changes(client, purgeEvents, [id, before]);
            deleted += removed;
            if (removed < PURGE_CHUNK) break;
          }
          await changes(client, purgeIpWindows, [id, before]);
          await changes(client, purgeBatches, [id, before]);
        }
        await changes(client, purgeLeases, [before]);
        return { events: deleted };
      } finally {
        await rows(client, purgeUnlock, []);
      }
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      // A connection that failed during the purge may still hold the lock: discard it (closing the
      // session releases the lock).
      client.release(broken);
    }
  }
}
