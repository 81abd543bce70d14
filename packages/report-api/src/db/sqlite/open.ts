import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import { sqliteAlertStore } from '../../alerts/sqlite.js';
import type { RollupStore, Store } from '../store.js';
import { sqliteDenyListStore } from './denylist.js';
import { sqliteDrillDownStore } from './drilldown.js';
import { sqliteEventStore } from './events.js';
import type { RollupBufferOptions } from './rollup-buffer.js';
import { sqliteRollupStore } from './rollups.js';
import { sqliteLeaseStore } from './leases.js';
import { sqliteSettingsStore } from './settings.js';
import { sqliteSiteStore } from './sites.js';

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
  /** When rollups held in memory are written: `flushMs` (default 2,000), `flushEvents` (default 200,000). */
  rollups?: RollupBufferOptions;
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
export function openSqliteStore({ path, now = Date.now, maxGroupEvents, groupWaitMs, rollups }: SqliteStoreOptions): Store & { db: Database.Database } {
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    // Checkpoint every ~32 MB of WAL instead of 4 MB: a page rewritten by many commits is copied back
    // to the database once per checkpoint, and the checkpoint's fsync (the only one in WAL + NORMAL)
    // comes 8x less often. The WAL file is truncated back to 64 MB after a checkpoint.
    db.pragma('wal_autocheckpoint = 8000');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('temp_store = MEMORY');
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
  const sites = sqliteSiteStore(db, now);
  // Site time zones never change, so they are cached for the ingest hot path.
  const zones = new Map<string, string>();
  const zoneStatement = db.prepare<[string], { time_zone: string }>('SELECT time_zone FROM sites WHERE id = ?');
  const timeZoneOf = (siteId: string) => {
    let zone = zones.get(siteId);
    if (zone === undefined) {
      zone = zoneStatement.get(siteId)?.time_zone;
      if (zone === undefined) return null;
      zones.set(siteId, zone);
    }
    return zone;
  };
  const { flushPending, flushRollups: _flushRollups, flushRollupsForRead, closeRollups, recoverRollups, ...events } = sqliteEventStore(db, timeZoneOf, now, { maxGroupEvents, groupWaitMs, rollups });
  try {
    recoverRollups();
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    db,
    ...sites,
    ...events,
    ...sqliteDenyListStore(db),
    ...readAfterFlush(sqliteRollupStore(db), flushRollupsForRead),
    ...sqliteDrillDownStore(db),
    ...sqliteAlertStore(db),
    ...sqliteSettingsStore(db, now),
    ...sqliteLeaseStore(db),
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
function readAfterFlush(store: RollupStore, flush: () => void): RollupStore {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, read] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      flush();
      return read(...args);
    };
  }
  return wrapped as unknown as RollupStore;
}
