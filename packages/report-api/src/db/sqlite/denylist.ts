import type Database from 'better-sqlite3';
import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { DenyListStore } from '../store.js';
import { newId } from '../ids.js';
import { toDenyEntry, type DenyRow } from '../rows.js';

/**
 * Deny-list entries on SQLite; expired rows stay in the table but are never served.
 *
 * @example
 * const denyList = sqliteDenyListStore(db);
 * await denyList.listDenyEntries(siteId, Date.now());
 */
export function sqliteDenyListStore(db: Database.Database): DenyListStore {
  const select = db.prepare<[string, number], DenyRow>(
    `SELECT id, value, reason, source, created_at, expires_at FROM deny_entries
     WHERE site_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id`,
  );
  const insert = db.prepare(
    'INSERT INTO deny_entries (id, site_id, value, reason, source, created_at, expires_at) VALUES (?, ?, ?, ?, ' +
      '?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM deny_entries WHERE site_id = ? AND id = ?');
  return {
    async listDenyEntries(siteId, now) {
      return select.all(siteId, now).map(toDenyEntry);
    },
    async addDenyEntry(siteId, entry, now) {
      const row: DenyEntry = { id: newId('deny'), ...entry, createdAt: now };
      insert.run(row.id, siteId, row.value, row.reason, row.source, row.createdAt, row.expiresAt);
      return row;
    },
    async removeDenyEntry(siteId, entryId) {
      return remove.run(siteId, entryId).changes > 0;
    },
  };
}
