import type Database from 'better-sqlite3';
import type { CreatedSite, KeyRole, NewSite, Site, SiteStore } from '../store.js';
import { hashKey, newId, newKey } from '../ids.js';
import { toSite, type SiteRow } from '../rows.js';

/**
 * Sites and hashed keys on SQLite.
 *
 * @example
 * const sites = sqliteSiteStore(db, Date.now);
 * const { adminKey } = await sites.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
 */
export function sqliteSiteStore(db: Database.Database, now: () => number): SiteStore {
  const insertSite = db.prepare(
    'INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertKey = db.prepare('INSERT INTO api_keys (hash, site_id, role, created_at) VALUES (?, ?, ?, ?)');
  const selectSites = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY created_at, id');
  const selectSite = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?');
  const selectKey = db.prepare<[string], SiteRow & { role: KeyRole }>(
    'SELECT s.*, k.role FROM api_keys k JOIN sites s ON s.id = k.site_id WHERE k.hash = ?',
  );
  const create = db.transaction((input: NewSite): CreatedSite => {
    const site: Site = { id: newId('site'), ...input, createdAt: now() };
    const ingestKey = newKey('wpi');
    const adminKey = newKey('wpa');
    insertSite.run(site.id, site.name, site.timeZone, site.homeCountry, site.createdAt);
    insertKey.run(hashKey(ingestKey), site.id, 'ingest', site.createdAt);
    insertKey.run(hashKey(adminKey), site.id, 'admin', site.createdAt);
    return { site, ingestKey, adminKey };
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
      const row = selectKey.get(hashKey(key));
      return row ? { site: toSite(row), role: row.role } : null;
    },
  };
}
