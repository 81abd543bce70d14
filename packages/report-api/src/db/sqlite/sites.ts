import type Database from 'better-sqlite3';
import { timingSafeEqual } from 'node:crypto';
import type { CreatedSite, KeyRole, NewSite, Site, SiteStore } from '../store.js';
import { hashKey, newId } from '../ids.js';
import { LAST_USED_GRANULARITY_MS, type ChangeBy } from '../keys.js';
import { toSite, type SiteRow } from '../rows.js';
import { sqliteAuditAppender } from './audit.js';
import { sqliteKeyInserter } from './keys.js';

/** Options of `sqliteSiteStore`. */
export interface SqliteSiteStoreOptions {
  /**
   * Writes what this process holds in memory for the database (rollups) before a site is deleted,
   * so nothing of the site is written back after its rows are gone. Default: nothing to write.
   */
  flushBeforeDelete?: () => void | Promise<void>;
}

type KeyLookupRow = SiteRow & {
  role: KeyRole;
  hash: string;
  key_id: string;
  label: string;
  last_used_at: number | null;
};

/**
 * Sites and hashed keys on SQLite.
 *
 * @example
 * const sites = sqliteSiteStore(db, Date.now);
 * const { adminKey } = await sites.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
 */
export function sqliteSiteStore(
  db: Database.Database,
  now: () => number,
  { flushBeforeDelete }: SqliteSiteStoreOptions = {},
): SiteStore {
  const insertSite = db.prepare(
    'INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertKey = sqliteKeyInserter(db);
  const appendAudit = sqliteAuditAppender(db);
  const selectSites = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY created_at, id');
  const selectSite = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?');
  const selectKey = db.prepare<[string], KeyLookupRow>(
    'SELECT s.*, k.role, k.hash, k.id AS key_id, k.label, k.last_used_at FROM api_keys k JOIN sites s ' +
      'ON s.id = k.site_id WHERE k.hash = ?',
  );
  const touchKey = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE hash = ?');
  const rename = db.prepare('UPDATE sites SET name = ? WHERE id = ?');
  const deleteSiteRow = db.prepare('DELETE FROM sites WHERE id = ?');
  // Every table with a site_id column, so tables added later are emptied too.
  const siteTables = db.prepare<[], { name: string }>(
    `SELECT m.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND p.name = 'site_id' ORDER BY m.name`,
  );

  const create = db.transaction((input: NewSite): CreatedSite => {
    const site: Site = { id: newId('site'), ...input, createdAt: now() };
    insertSite.run(site.id, site.name, site.timeZone, site.homeCountry, site.createdAt);
    const ingest = insertKey(site.id, 'ingest', 'initial', site.createdAt);
    const admin = insertKey(site.id, 'admin', 'initial', site.createdAt);
    return { site, ingestKey: ingest.secret, adminKey: admin.secret };
  });
  const renameTx = db.transaction((siteId: string, name: string, by: ChangeBy, at: number): Site | null => {
    const row = selectSite.get(siteId);
    if (!row) return null;
    rename.run(name, siteId);
    const before = toSite(row);
    const after = { ...before, name };
    appendAudit(siteId, { ...by, action: 'site.rename', target: siteId, before, after }, at);
    return after;
  });
  const deleteTx = db.transaction((siteId: string, by: ChangeBy, at: number) => {
    const row = selectSite.get(siteId);
    if (!row) return null;
    let rows = 0;
    for (const { name } of siteTables.all()) {
      rows += db.prepare(`DELETE FROM "${name.replaceAll('"', '""')}" WHERE site_id = ?`).run(siteId).changes;
    }
    rows += deleteSiteRow.run(siteId).changes;
    // The one row left of the site: who deleted it, when and why.
    appendAudit(siteId, { ...by, action: 'site.delete', target: siteId, before: toSite(row), after: { rows } }, at);
    return { rows };
  });

  return {
    async createSite(input) {
      return create(input);
    },
    async listSites() {
      return selectSites.all().map(toSite);
    },
    async getSite(siteId) {
      const row = selectSite.get(siteId);
      return row ? toSite(row) : null;
    },
    async resolveKey(key) {
      const hash = hashKey(key);
      const row = selectKey.get(hash);
      // The index finds the row by the hash of the key; comparing the hashes again in constant time
      // keeps any byte-by-byte comparison out of the answer's timing.
      if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
      const at = now();
      if (row.last_used_at === null || at - row.last_used_at >= LAST_USED_GRANULARITY_MS) {
        try {
          touchKey.run(at, hash);
        } catch {
          // Bookkeeping only: a busy database never refuses a request over it.
        }
      }
      return { site: toSite(row), role: row.role, keyId: row.key_id, label: row.label };
    },
    async renameSite(siteId, name, by, at) {
      return renameTx(siteId, name, by, at);
    },
    async deleteSite(siteId, by, at) {
      if (!selectSite.get(siteId)) return null;
      await flushBeforeDelete?.();
      return deleteTx(siteId, by, at);
    },
  };
}
