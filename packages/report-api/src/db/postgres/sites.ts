import type pg from 'pg';
import type { CreatedSite, KeyRole, Site, SiteStore } from '../store.js';
import { hashKey, newId, newKey } from '../ids.js';
import { toSite, type SiteRow } from '../rows.js';
import { changes, rows, statement, transaction } from './pool.js';

const SITE_COLUMNS = 'id, name, time_zone, home_country, created_at';
const insertSite = statement(`INSERT INTO sites (${SITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`);
const insertKey = statement('INSERT INTO api_keys (hash, site_id, role, created_at) VALUES ($1, $2, $3, $4)');
const selectSites = statement(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY created_at, id`);
const selectSite = statement(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`);
const selectKey = statement(
  'SELECT s.id, s.name, s.time_zone, s.home_country, s.created_at, k.role FROM api_keys k JOIN sites s ON s.id = ' +
    'k.site_id WHERE k.hash = $1',
);

/**
 * Sites and hashed keys on PostgreSQL (same ids, keys and hashing as the SQLite store). A site and
 * its two keys are created in one transaction.
 *
 * @example
 * const sites = postgresSiteStore(pool, Date.now);
 * const { adminKey } = await sites.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
 */
export function postgresSiteStore(pool: pg.Pool, now: () => number): SiteStore {
  return {
    async createSite(input): Promise<CreatedSite> {
      const site: Site = { id: newId('site'), ...input, createdAt: now() };
      const ingestKey = newKey('wpi');
      const adminKey = newKey('wpa');
      await transaction(pool, async (client) => {
        await changes(client, insertSite, [site.id, site.name, site.timeZone, site.homeCountry, site.createdAt]);
        await changes(client, insertKey, [hashKey(ingestKey), site.id, 'ingest', site.createdAt]);
        await changes(client, insertKey, [hashKey(adminKey), site.id, 'admin', site.createdAt]);
      });
      return { site, ingestKey, adminKey };
    },
    async listSites() {
      return (await rows<SiteRow>(pool, selectSites, [])).map(toSite);
    },
    async getSite(siteId) {
      const [row] = await rows<SiteRow>(pool, selectSite, [siteId]);
      return row ? toSite(row) : null;
    },
    async resolveKey(key) {
      const [row] = await rows<SiteRow & { role: KeyRole }>(pool, selectKey, [hashKey(key)]);
      return row ? { site: toSite(row), role: row.role } : null;
    },
  };
}
