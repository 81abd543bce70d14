import type pg from 'pg';
import { timingSafeEqual } from 'node:crypto';
import type { CreatedSite, KeyRole, Site, SiteStore } from '../store.js';
import { hashKey, newId } from '../ids.js';
import { LAST_USED_GRANULARITY_MS } from '../keys.js';
import { toSite, type SiteRow } from '../rows.js';
import { appendAuditRow } from './audit.js';
import { insertKeyRow } from './keys.js';
import { changes, rows, statement, transaction } from './pool.js';

const SITE_COLUMNS = 'id, name, time_zone, home_country, created_at';
const insertSite = statement(`INSERT INTO sites (${SITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`);
const selectSites = statement(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY created_at, id`);
const selectSite = statement(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`);
const lockSite = statement(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1 FOR UPDATE`);
const selectKey = statement(
  'SELECT s.id, s.name, s.time_zone, s.home_country, s.created_at, k.role, k.hash, k.id AS key_id, k.label, ' +
    'k.last_used_at FROM api_keys k JOIN sites s ON s.id = k.site_id WHERE k.hash = $1',
);
// Only when stale, so instances racing on one key write it once.
const touchKey = statement(
  'UPDATE api_keys SET last_used_at = $1 WHERE hash = $2 AND (last_used_at IS NULL OR last_used_at <= $3)',
);
const rename = statement('UPDATE sites SET name = $1 WHERE id = $2');
const deleteSiteRow = statement('DELETE FROM sites WHERE id = $1');
// Every table of the store's schema with a site_id column, so tables added later are emptied too.
const siteTables = statement(
  `SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t
   ON t.table_schema = c.table_schema AND t.table_name = c.table_name
   WHERE c.table_schema = current_schema() AND c.column_name = 'site_id' AND t.table_type = 'BASE TABLE'
   ORDER BY c.table_name`,
);

type KeyLookupRow = SiteRow & {
  role: KeyRole;
  hash: string;
  key_id: string;
  label: string;
  last_used_at: number | null;
};

/**
 * Sites and hashed keys on PostgreSQL (same ids, keys and hashing as the SQLite store). A site and
 * its two keys are created in one transaction; so are a rename or a deletion and its audit entry.
 *
 * @example
 * const sites = postgresSiteStore(pool, Date.now);
 * const { adminKey } = await sites.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
 */
export function postgresSiteStore(pool: pg.Pool, now: () => number): SiteStore {
  return {
    async createSite(input): Promise<CreatedSite> {
      const site: Site = { id: newId('site'), ...input, createdAt: now() };
      return transaction(pool, async (client) => {
        await changes(client, insertSite, [site.id, site.name, site.timeZone, site.homeCountry, site.createdAt]);
        const ingest = await insertKeyRow(client, site.id, 'ingest', 'initial', site.createdAt);
        const admin = await insertKeyRow(client, site.id, 'admin', 'initial', site.createdAt);
        return { site, ingestKey: ingest.secret, adminKey: admin.secret };
      });
    },
    async listSites() {
      return (await rows<SiteRow>(pool, selectSites, [])).map(toSite);
    },
    async getSite(siteId) {
      const [row] = await rows<SiteRow>(pool, selectSite, [siteId]);
      return row ? toSite(row) : null;
    },
    async resolveKey(key) {
      const hash = hashKey(key);
      const [row] = await rows<KeyLookupRow>(pool, selectKey, [hash]);
      // The index finds the row by the hash of the key; comparing the hashes again in constant time
      // keeps any byte-by-byte comparison out of the answer's timing.
      if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
      const at = now();
      const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
      if (lastUsed === null || at - lastUsed >= LAST_USED_GRANULARITY_MS) {
        // Bookkeeping only (once a minute per key): never fails the request.
        await changes(pool, touchKey, [at, hash, at - LAST_USED_GRANULARITY_MS]).catch(() => undefined);
      }
      return { site: toSite(row), role: row.role, keyId: row.key_id, label: row.label };
    },
    renameSite(siteId, name, by, at) {
      return transaction(pool, async (client) => {
        const [row] = await rows<SiteRow>(client, lockSite, [siteId]);
        if (!row) return null;
        await changes(client, rename, [name, siteId]);
        const before = toSite(row);
        const after = { ...before, name };
        await appendAuditRow(client, siteId, { ...by, action: 'site.rename', target: siteId, before, after }, at);
        return after;
      });
    },
    deleteSite(siteId, by, at) {
      return transaction(pool, async (client) => {
        const [row] = await rows<SiteRow>(client, lockSite, [siteId]);
        if (!row) return null;
        let deleted = 0;
        for (const { name } of await rows<{ name: string }>(client, siteTables, [])) {
          const table = `"${name.replaceAll('"', '""')}"`;
          deleted += (await client.query(`DELETE FROM ${table} WHERE site_id = $1`, [siteId])).rowCount ?? 0;
        }
        deleted += await changes(client, deleteSiteRow, [siteId]);
        // The one row left of the site: who deleted it, when and why.
        const entry = { ...by, action: 'site.delete', target: siteId, before: toSite(row), after: { rows: deleted } };
        await appendAuditRow(client, siteId, entry, at);
        return { rows: deleted };
      });
    },
  };
}
