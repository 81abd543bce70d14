import type Database from 'better-sqlite3';
import type { LeaseStore } from '../leases.js';

/**
 * `LeaseStore` on SQLite: one upsert that only takes over an expired lease or renews one's own, so
 * two processes claiming at once cannot both win (SQLite has one writer at a time).
 *
 * @example
 * const leases = sqliteLeaseStore(db);
 * await leases.claimLease('alerts:monitor', 'instance-1', Date.now() + 30_000, Date.now()); // true
 */
export function sqliteLeaseStore(db: Database.Database): LeaseStore {
  const claim = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  );
  return {
    async claimLease(name, holder, until, now) {
      return claim.run(name, holder, until, now).changes > 0;
    },
  };
}
