import type pg from 'pg';
import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { DenyListStore } from '../store.js';
import { newId } from '../ids.js';
import { toDenyEntry, type DenyRow } from '../rows.js';
import { changes, rows, statement } from './pool.js';

// Ids are compared byte-wise (COLLATE "C") so entries come back in the order SQLite gives them.
const select = statement(
  `SELECT id, value, reason, source, created_at, expires_at FROM deny_entries
   WHERE site_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, id COLLATE "C"`,
);
const insert = statement(
  'INSERT INTO deny_entries (id, site_id, value, reason, source, created_at, expires_at) VALUES ($1, $2, $3, $4, ' +
    '$5, $6, $7)',
);
const remove = statement('DELETE FROM deny_entries WHERE site_id = $1 AND id = $2');

/**
 * Deny-list entries on PostgreSQL; expired rows stay in the table but are never served.
 *
 * @example
 * const denyList = postgresDenyListStore(pool);
 * await denyList.listDenyEntries(siteId, Date.now());
 */
export function postgresDenyListStore(pool: pg.Pool): DenyListStore {
  return {
    async listDenyEntries(siteId, now) {
      return (await rows<DenyRow>(pool, select, [siteId, now])).map(toDenyEntry);
    },
    async addDenyEntry(siteId, entry, now) {
      const row: DenyEntry = { id: newId('deny'), ...entry, createdAt: now };
      await changes(pool, insert, [row.id, siteId, row.value, row.reason, row.source, row.createdAt, row.expiresAt]);
      return row;
    },
    async removeDenyEntry(siteId, entryId) {
      return (await changes(pool, remove, [siteId, entryId])) > 0;
    },
  };
}
