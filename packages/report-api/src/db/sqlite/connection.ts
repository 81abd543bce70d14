import type Database from 'better-sqlite3';

/**
 * The per-connection settings every connection to a Watchpost database gets (the writer thread's too):
 * WAL journal, NORMAL sync, foreign keys, a 64 MB page cache, checkpoints every ~32 MB of WAL.
 *
 * @example
 * configureConnection(new Database(path, { timeout: 5000 }));
 */
export function configureConnection(db: Database.Database): void {
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
}
