import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import { alertStoreOn } from '../alert-store.js';
import { caseStoreOn } from '../cases.js';
import { findingStoreOn } from '../findings.js';
import { policyStoreOn } from '../policies.js';
import { intelStoreOn } from '../intel.js';
import { botActivityOn } from '../bot-activity.js';
import { denyListStoreOn } from '../denylist.js';
import { sqliteExecutor } from './executor.js';
import type { RollupStore, Store } from '../store.js';
import { configureConnection } from './connection.js';
import { sqliteDrillDownStore } from './drilldown.js';
import { sqliteEventStore } from './events.js';
import { rollupBacklog, type RecoverySkip, type RollupBufferOptions } from './rollup-buffer.js';
import { sqliteRollupStore } from './rollups.js';
import { sqliteLeaseStore } from './leases.js';
import { sqliteIngestStatsStore } from './ingest-stats.js';
import { sqliteSettingsStore } from './settings.js';
import { sqliteSiteStore } from './sites.js';
import { sqliteKeyStore } from './keys.js';
import { sqliteAuditStore } from './audit.js';
import { siteLocalDays, siteZones } from './site-zones.js';
import { sqliteEventList } from './event-list.js';
import { startWriter } from './writer.js';

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Database file; created when missing. `:memory:` works for experiments (not for WAL). */
  path: string;
  /** Clock for created-at stamps. Default `Date.now`. */
  now?: () => number;
  /** Most events in one group-commit transaction (see `sqliteEventStore`). Default 20,000. */
  maxGroupEvents?: number;
  /** How long a batch waits for others to share its commit, in ms (see `sqliteEventStore`). Default 3. */
  groupWaitMs?: number;
  /** When rollups held in memory are written: `flushMs` (default 10,000), `flushEvents` (default 1,000,000). */
  rollups?: RollupBufferOptions;
  /**
   * Write events on a thread of their own (its own connection to the file): the thread serving
   * requests only parses and validates, so ingest uses two cores. Not for `:memory:`; the clock and
   * `rollups` callbacks stay on the calling thread's side, so only `rollups.flushEvents` and
   * `flushMs` may be given. Default false.
   */
  writerThread?: boolean;
  /** With `writerThread`: called once if the thread fails (then every ingest rejects). Default: log it. */
  onWriterFailure?: (error: Error) => void;
  /**
   * Called when the rollup recovery at open (or later, in this thread) skips raw events it cannot
   * aggregate, instead of failing to open (see `RecoverySkip`). Default `console.warn`.
   */
  onRecoverySkip?: (skip: RecoverySkip) => void;
}

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/**
 * Opens (creating and migrating) a SQLite database as a `Store`: WAL journal, NORMAL sync (durable at
 * checkpoints, safe against application crashes), foreign keys on, a 5 s busy timeout for the CLI
 * running beside `serve`, checkpoints every ~32 MB of WAL, group commit of concurrent batches, and
 * rollups held in memory for up to `rollups.flushMs` (reads in this process flush them first; rollups
 * a crashed writer held are rebuilt from raw events here, at open).
 *
 * @example
 * const store = openSqliteStore({ path: './watchpost.db' });
 * console.log(await store.listSites());
 * await store.close();
 */
export function openSqliteStore({
  path,
  now = Date.now,
  maxGroupEvents,
  groupWaitMs,
  rollups,
  writerThread = false,
  onWriterFailure,
  onRecoverySkip,
}: SqliteStoreOptions): Store & { db: Database.Database } {
  if (writerThread && (path === ':memory:' || path === ''))
    throw new TypeError('writerThread needs a database file; an in-memory database has one connection');
  if (writerThread && (rollups?.onError || rollups?.isOwnerAlive))
    throw new TypeError('writerThread: rollups.onError and isOwnerAlive cannot cross to the writer thread');
  const db = new Database(path, { timeout: 5000 });
  try {
    configureConnection(db);
    migrate(drizzle(db), { migrationsFolder: MIGRATIONS });
    // Planner statistics, bounded work (analysis_limit). The per-minute IP, country and path look-ups
    // do not depend on them (INDEXED BY, see minutes.ts); the other queries get them up to date here
    // and on `purgeBefore`'s hourly maintenance run.
    db.pragma('analysis_limit = 400');
    db.pragma('optimize = 0x10002');
  } catch (error) {
    db.close();
    throw error;
  }
  const executor = sqliteExecutor(db);
  const common = {
    db,
    ...denyListStoreOn(executor),
    ...sqliteKeyStore(db),
    ...sqliteAuditStore(db),
    ...sqliteDrillDownStore(db),
    ...alertStoreOn(executor),
    ...caseStoreOn(executor),
    ...findingStoreOn(executor),
    ...policyStoreOn(executor),
    ...intelStoreOn(executor),
    ...botActivityOn(executor),
    ...sqliteSettingsStore(db, now),
    ...sqliteLeaseStore(db),
    ...sqliteIngestStatsStore(db),
  };
  if (writerThread) {
    const localDayOfSite = siteLocalDays(siteZones(db));
    // Rollups a crashed writer left behind are rebuilt here, before the store is handed out.
    const recovery = rollupBacklog(db, localDayOfSite, now, undefined, onRecoverySkip);
    try {
      recovery.recover();
    } catch (error) {
      db.close();
      throw error;
    } finally {
      recovery.close();
    }
    const writer = startWriter({
      path,
      options: { maxGroupEvents, groupWaitMs },
      localDayOfSite,
      flushEvents: rollups?.flushEvents,
      flushMs: rollups?.flushMs,
      onFailure: onWriterFailure,
    });
    return {
      ...common,
      ...sqliteSiteStore(db, now, { flushBeforeDelete: writer.flushForRead }),
      ...sqliteEventList(db),
      ingestBatch: (siteId, batch, json, stats) =>
        writer.ingestBatchAt(siteId, batch, now(), json, stats?.rejected ?? 0, stats?.rollupEvents),
      purgeBefore: (before) => writer.purgeBefore(before),
      ...readAfterFlush(sqliteRollupStore(db), writer.flushForRead),
      async close() {
        if (!db.open) return;
        try {
          await writer.close();
        } finally {
          db.close();
        }
      },
    };
  }
  const {
    flushPending,
    flushRollups: _flushRollups,
    flushRollupsForRead,
    closeRollups,
    recoverRollups,
    ingestBatchAt: _ingestBatchAt,
    backlogOwner: _backlogOwner,
    ...events
  } = sqliteEventStore(db, siteZones(db), now, {
    maxGroupEvents,
    groupWaitMs,
    rollups: { ...rollups, onRecoverySkip: rollups?.onRecoverySkip ?? onRecoverySkip },
  });
  try {
    recoverRollups();
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    ...common,
    ...sqliteSiteStore(db, now, { flushBeforeDelete: flushRollupsForRead }),
    ...events,
    ...readAfterFlush(sqliteRollupStore(db), flushRollupsForRead),
    async close() {
      if (!db.open) return;
      try {
        flushPending();
        // If this throws (the database locked past the busy timeout, a full disk), the rollups still
        // held are rebuilt from the raw events by the next open (rollup_backlog); the error is the caller's.
        closeRollups();
      } finally {
        db.close();
      }
    },
  };
}

/**
 * Rollup reads that first write the rollups held in memory, so this process reads its own writes.
 * `flush` never throws: when it cannot write, the read answers from what is stored.
 */
function readAfterFlush(store: RollupStore, flush: () => void | Promise<void>): RollupStore {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, read] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      await flush();
      return read(...args);
    };
  }
  return wrapped as unknown as RollupStore;
}
