import type pg from 'pg';
import { hashKey, newId, newKey } from '../ids.js';
import {
  KEY_COLUMNS,
  LastAdminKeyError,
  MAX_KEYS_PER_SITE,
  TooManyKeysError,
  toKeyInfo,
  type ApiKeyInfo,
  type KeyRow,
  type KeyStore,
} from '../keys.js';
import type { KeyRole } from '../store.js';
import { appendAuditRow } from './audit.js';
import { changes, rows, statement, transaction, type Queryable } from './pool.js';

const insert = statement(
  'INSERT INTO api_keys (hash, site_id, role, created_at, id, label) VALUES ($1, $2, $3, $4, $5, $6)',
);
// FOR UPDATE: two revocations of a site's last two admin keys at once cannot both see another admin key.
const lockSite = statement('SELECT id FROM sites WHERE id = $1 FOR UPDATE');
const list = statement(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE site_id = $1 ORDER BY created_at, id COLLATE "C"`);
const select = statement(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE site_id = $1 AND id = $2`);
const count = statement('SELECT count(*)::int AS n FROM api_keys WHERE site_id = $1');
const admins = statement("SELECT count(*)::int AS n FROM api_keys WHERE site_id = $1 AND role = 'admin'");
const remove = statement('DELETE FROM api_keys WHERE site_id = $1 AND id = $2');

/**
 * Inserts a new key of `role` for `siteId` and returns it, in clear text once.
 *
 * @example
 * const { secret } = await insertKeyRow(client, siteId, 'admin', 'alice', now);
 */
export async function insertKeyRow(db: Queryable, siteId: string, role: KeyRole, label: string, now: number) {
  const secret = newKey(role === 'admin' ? 'wpa' : 'wpi');
  const key: ApiKeyInfo = { id: newId('key'), siteId, role, label, createdAt: now, lastUsedAt: null };
  await changes(db, insert, [hashKey(secret), siteId, role, now, key.id, label]);
  return { key, secret };
}

/**
 * API keys on PostgreSQL: create, list, revoke, each change recorded in the audit log in its transaction.
 *
 * @example
 * const keys = postgresKeyStore(pool);
 * await keys.listKeys(siteId);
 */
export function postgresKeyStore(pool: pg.Pool): KeyStore {
  return {
    createKey(siteId, { role, label }, by, now) {
      return transaction(pool, async (client) => {
        if ((await rows(client, lockSite, [siteId])).length === 0) throw new Error(`no site ${JSON.stringify(siteId)}`);
        const [held] = await rows<{ n: number }>(client, count, [siteId]);
        if (held!.n >= MAX_KEYS_PER_SITE) throw new TooManyKeysError();
        const created = await insertKeyRow(client, siteId, role, label, now);
        const entry = { ...by, action: 'key.create', target: created.key.id, before: null, after: created.key };
        await appendAuditRow(client, siteId, entry, now);
        return created;
      });
    },
    async listKeys(siteId) {
      return (await rows<KeyRow>(pool, list, [siteId])).map(toKeyInfo);
    },
    revokeKey(siteId, keyId, by, now) {
      return transaction(pool, async (client) => {
        if ((await rows(client, lockSite, [siteId])).length === 0) return null;
        const [row] = await rows<KeyRow>(client, select, [siteId, keyId]);
        if (!row) return null;
        const [count] = await rows<{ n: number }>(client, admins, [siteId]);
        if (row.role === 'admin' && count!.n <= 1) throw new LastAdminKeyError(keyId);
        await changes(client, remove, [siteId, keyId]);
        const key = toKeyInfo(row);
        await appendAuditRow(
          client,
          siteId,
          { ...by, action: 'key.revoke', target: keyId, before: key, after: null },
          now,
        );
        return key;
      });
    },
  };
}
