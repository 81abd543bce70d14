import type pg from 'pg';
import type { LeaseStore } from '../leases.js';
import { changes, statement } from './pool.js';

const claim = statement(
  `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
   ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
   WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
);

/**
 * `LeaseStore` on PostgreSQL: one upsert that only takes over an expired lease or renews one's own;
 * concurrent claims from several instances serialise on the row, so one wins.
 *
 * @example
 * const leases = postgresLeaseStore(pool);
 * await leases.claimLease('alerts:monitor', 'instance-1', Date.now() + 30_000, Date.now()); // true
 */
export function postgresLeaseStore(pool: pg.Pool): LeaseStore {
  return {
    async claimLease(name, holder, until, now) {
      return (await changes(pool, claim, [name, holder, until, now])) > 0;
    },
  };
}
