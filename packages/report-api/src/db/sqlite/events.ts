import type Database from 'better-sqlite3';
import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import { assertStorable } from '../storable.js';
import type { EventStore, IngestResult } from '../store.js';
import { siteLocalDays } from './site-zones.js';
import { sqliteEventList } from './event-list.js';
import { rollupBacklog, rollupBuffer, type RollupBufferOptions } from './rollup-buffer.js';

const EVENT_COLUMNS =
  'site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, bot_category, sample_rate, ' +
  'asn, login_outcome, login_account, bot_name';
/** Rows per multi-row INSERT: fewer statement executions, well under SQLite's 32,766 variables. */
const ROWS_PER_INSERT = 100;

/** Options of `sqliteEventStore`. */
export interface GroupCommitOptions {
  /** Most events written in one group transaction; more waiting batches go into the next one. Default 20,000. */
  maxGroupEvents?: number;
  /**
   * How long the first waiting batch waits for others before the group is written, in ms, when the
   * previous group had more than one batch (a lone sequential writer never waits). 0 always writes at
   * the next `setImmediate` (only batches already parsed join). Default 3: with 4 requests in flight
   * over HTTP, groups of 3-4 batches instead of 2, about 10% more events/s (bench/ingest.ts).
   */
  groupWaitMs?: number;
  /** When rollups held in memory are written (see `rollupBuffer`). */
  rollups?: RollupBufferOptions;
  /**
   * false: keep only the backlog ranges of stored batches and hold no rollups, because the caller
   * aggregates them (the writer thread, whose caller is the thread that serves requests). Default true.
   */
  holdRollups?: boolean;
}

/**
 * What `ingestBatchAt` answers: `backlogId` is the `rollup_backlog` row of the batch's raw-event ids (null for a
 * duplicate or an empty batch).
 */
export type StoredBatch = IngestResult & { backlogId: number | null };

interface Pending {
  siteId: string;
  batch: EventBatch;
  receivedAt: number;
  rejected: number;
  /** A sampled import's events for the rollups (`BatchStats.rollupEvents`); else `batch.events`. */
  rollupEvents: readonly WatchpostEvent[] | undefined;
  localDay: (ms: number) => string;
  resolve: (result: StoredBatch) => void;
  reject: (error: unknown) => void;
}

/**
 * Raw events and rollups on SQLite. `timeZoneOf(siteId)` gives the zone that decides a site's local day.
 * The hot path is plain better-sqlite3 prepared statements.
 *
 * **Group commit.** Batches that arrive within `groupWaitMs` of each other (several requests in
 * flight) are written in one transaction: one commit and one write of each page they share, instead
 * of one per batch. Their rollups wait in memory and are written every few seconds (`rollupBuffer`:
 * crash-safe through a backlog of raw-event id ranges, one per batch, recorded in the batch's
 * savepoint; reads flush first; with `holdRollups: false` only the backlog is kept). Each batch is still all-or-nothing
 * (its own SAVEPOINT: a batch that fails rolls back alone and only its caller gets the error) and idempotent (its
 * batch id is inserted in the same savepoint), and every `ingestBatch` promise settles only after
 * the COMMIT, so `POST /v1/events` answers 202 only for stored data. `flushPending()` writes the
 * batches waiting now, `flushRollups()` the rollups held in memory (`close()` calls `closeRollups()`, which also
 * flushes).
 *
 * @example
 * const events = sqliteEventStore(db, () => 'UTC', Date.now);
 * await events.ingestBatch(siteId, batch); // { accepted: 1000, duplicate: false }
 */
export function sqliteEventStore(
  db: Database.Database,
  timeZoneOf: (siteId: string) => string | null,
  now: () => number,
  { maxGroupEvents = 20_000, groupWaitMs = 3, rollups: rollupOptions, holdRollups = true }: GroupCommitOptions = {},
): EventStore & {
  backlogOwner: string;
  ingestBatchAt(
    siteId: string,
    batch: EventBatch,
    receivedAt: number,
    rejected?: number,
    rollupEvents?: readonly WatchpostEvent[],
  ): Promise<StoredBatch>;
  flushPending(): void;
  flushRollups(): void;
  flushRollupsForRead(): void;
  closeRollups(): void;
  recoverRollups(): number;
} {
  if (!Number.isInteger(maxGroupEvents) || maxGroupEvents < 1)
    throw new TypeError(`maxGroupEvents must be a positive integer, got ${maxGroupEvents}`);
  if (!(groupWaitMs >= 0 && groupWaitMs <= 1000))
    throw new TypeError(`groupWaitMs must be from 0 to 1000, got ${groupWaitMs}`);
  const insertBatch = db.prepare(
    'INSERT OR IGNORE INTO batches (site_id, batch_id, received_at, events, dropped, source, rejected) VALUES ' +
      '(?, ?, ?, ?, ?, ?, ?)',
  );
  const oneRow = `(${EVENT_COLUMNS.split(',')
    .map(() => '?')
    .join(', ')})`;
  const insertOne = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${oneRow}`);
  const insertMany = db.prepare(
    `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(ROWS_PER_INSERT).fill(oneRow).join(', ')}`,
  );
  const maxId = db.prepare<[], number | null>('SELECT max(id) FROM events').pluck();
  const localDayOfSite = siteLocalDays(timeZoneOf);
  const rollups = holdRollups ? rollupBuffer(db, localDayOfSite, now, rollupOptions) : null;
  const backlog = rollups ?? rollupBacklog(db, localDayOfSite, now);

  function pushEvent(params: unknown[], siteId: string, e: WatchpostEvent): void {
    params.push(
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
      e.login?.outcome ?? null,
      e.login?.account ?? null,
      e.botName ?? null,
    );
  }

  // Nested inside the group transaction, better-sqlite3 runs this as a SAVEPOINT.
  const ingestOne = db.transaction(
    (
      siteId: string,
      batch: EventBatch,
      receivedAt: number,
      localDay: (ms: number) => string,
      rejected: number,
      rollupEvents: readonly WatchpostEvent[] | undefined,
    ): StoredBatch => {
      const fresh =
        insertBatch.run(
          siteId,
          batch.batchId,
          receivedAt,
          batch.events.length,
          batch.dropped ?? 0,
          batch.source,
          rejected,
        ).changes > 0;
      if (!fresh) return { accepted: 0, duplicate: true, backlogId: null };
      // Inside the savepoint: an event the rollups could not take (a ts past the largest Date) rolls
      // the whole batch back, batch id included, so a fixed retry is stored, not called a duplicate.
      assertStorable(batch.events, localDay);
      if (rollupEvents) assertStorable(rollupEvents, localDay);
      const before = maxId.get() ?? 0;
      const events = batch.events;
      const params: unknown[] = [];
      let i = 0;
      for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
        params.length = 0;
        for (let j = i; j < i + ROWS_PER_INSERT; j++) pushEvent(params, siteId, events[j]!);
        insertMany.run(params);
      }
      for (; i < events.length; i++) {
        params.length = 0;
        pushEvent(params, siteId, events[i]!);
        insertOne.run(params);
      }
      // Every id above `before` was written by this batch (one writer at a time): until the rollups
      // of these events are written, the range in the backlog lets a later process rebuild them.
      const after = maxId.get() ?? 0;
      return {
        accepted: events.length,
        duplicate: false,
        backlogId: after > before ? backlog.record(before + 1, after) : null,
      };
    },
  );

  const queue: Pending[] = [];
  let scheduled = false;
  const writeGroup = db.transaction((group: Pending[], outcomes: Array<{ result?: StoredBatch; error?: unknown }>) => {
    for (const p of group) {
      try {
        outcomes.push({ result: ingestOne(p.siteId, p.batch, p.receivedAt, p.localDay, p.rejected, p.rollupEvents) });
      } catch (error) {
        outcomes.push({ error });
      }
    }
  });

  /** `ingestBatch` with the batch's received-at stamp given (a writer thread gets it from the caller's clock). */
  function ingestBatchAt(
    siteId: string,
    batch: EventBatch,
    receivedAt: number,
    rejected = 0,
    rollupEvents?: readonly WatchpostEvent[],
  ): Promise<StoredBatch> {
    const day = localDayOfSite(siteId);
    if (day === null) return Promise.reject(new Error(`unknown site ${siteId}`));
    return new Promise<StoredBatch>((resolve, reject) => {
      queue.push({ siteId, batch, receivedAt, rejected, rollupEvents, localDay: day, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      // Wait only when batches have been arriving together: a lone sequential writer (an import)
      // never pays the wait.
      if (groupWaitMs > 0 && lastFlushBatches > 1) setTimeout(flushPending, groupWaitMs);
      else setImmediate(flushPending);
    });
  }

  let lastFlushBatches = 0;
  function flushPending(): void {
    scheduled = false;
    lastFlushBatches = queue.length;
    while (queue.length > 0) {
      let events = 0;
      let size = 0;
      while (size < queue.length && (size === 0 || events + queue[size]!.batch.events.length <= maxGroupEvents))
        events += queue[size++]!.batch.events.length;
      const group = queue.splice(0, size);
      const outcomes: Array<{ result?: StoredBatch; error?: unknown }> = [];
      try {
        writeGroup(group, outcomes);
      } catch (error) {
        // The COMMIT itself failed (disk full, I/O error): nothing of the group is stored.
        for (const p of group) p.reject(error);
        continue;
      }
      group.forEach((p, k) => {
        const outcome = outcomes[k]!;
        if (!outcome.result) return p.reject(outcome.error);
        try {
          if (!outcome.result.duplicate)
            rollups?.add(p.siteId, p.rollupEvents ?? p.batch.events, p.localDay, outcome.result.backlogId);
        } catch (error) {
          // Committed already (assertStorable makes this unreachable): the backlog range stays, so
          // the next open rebuilds these rollups or skips and reports the rows it cannot take.
          console.error('watchpost: rollups of a stored batch failed; left to recovery:', error);
        }
        p.resolve(outcome.result);
      });
      rollups?.afterGroup();
    }
  }

  return {
    ingestBatch: (siteId, batch, _json, stats) =>
      ingestBatchAt(siteId, batch, now(), stats?.rejected ?? 0, stats?.rollupEvents).then(
        ({ accepted, duplicate }) => ({
          accepted,
          duplicate,
        }),
      ),
    ingestBatchAt,
    flushPending,
    backlogOwner: backlog.owner,
    flushRollups: () => rollups?.flush(),
    flushRollupsForRead: () => rollups?.flushForRead(),
    closeRollups: () => (rollups ?? backlog).close(),
    recoverRollups: backlog.recover,
    ...sqliteEventList(db),
    async purgeBefore(before) {
      // Rollups first: a backlog range must never point at deleted ids (SQLite may hand them out again).
      rollups?.flush();
      backlog.recover();
      // Chunked so a large purge never holds the write lock for long.
      const chunk = db.prepare(
        'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE site_id = ? AND ts < ? LIMIT 20000)',
      );
      const siteIds = db.prepare<[], { id: string }>('SELECT id FROM sites').all();
      let deleted = 0;
      for (const { id } of siteIds) {
        for (let round = 0; round < 100_000; round++) {
          const changes = chunk.run(id, before).changes;
          deleted += changes;
          if (changes === 0) break;
        }
      }
      db.prepare('DELETE FROM ip_errors_5s WHERE start < ?').run(before);
      // Import batch ids (about one per 1,000 log lines) are kept for good: re-importing a file after
      // the retention window must still be recognised as a duplicate.
      db.prepare("DELETE FROM batches WHERE received_at < ? AND source <> 'import'").run(before);
      db.prepare('DELETE FROM leases WHERE expires_at < ?').run(before);
      db.pragma('optimize');
      return { events: deleted };
    },
  };
}
