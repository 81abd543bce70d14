import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { Executor } from './executor.js';
import { newId } from './ids.js';
import { toDenyEntry, type DenyRow } from './rows.js';
import type { DenyListStore } from './store.js';

/**
 * Deny-list entries, written once over the `Executor` for both dialects; expired rows stay in the
 * table but are never served. Entries come back in creation order, ids compared byte-wise.
 *
 * @example
 * const denyList = denyListStoreOn(sqliteExecutor(db));
 * await denyList.listDenyEntries(siteId, Date.now());
 */
export function denyListStoreOn(db: Executor): DenyListStore {
  return {
    async listDenyEntries(siteId, now) {
      const found = await db.all<DenyRow>(
        `SELECT id, value, reason, source, created_at, expires_at FROM deny_entries
         WHERE site_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, id${db.binary}`,
        [siteId, now],
      );
      return found.map(toDenyEntry);
    },
    async addDenyEntry(siteId, entry, now) {
      const row: DenyEntry = { id: newId('deny'), ...entry, createdAt: now };
      await db.run(
        `INSERT INTO deny_entries (id, site_id, value, reason, source, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, siteId, row.value, row.reason, row.source, row.createdAt, row.expiresAt],
      );
      return row;
    },
    async removeDenyEntry(siteId, entryId) {
      return (await db.run('DELETE FROM deny_entries WHERE site_id = $1 AND id = $2', [siteId, entryId])) > 0;
    },
  };
}
