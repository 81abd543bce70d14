import type Database from 'better-sqlite3';
import { hashKey, newId, newKey } from '../ids.js';
import {
  KEY_COLUMNS,
  LastAdminKeyError,
  MAX_KEYS_PER_SITE,
  TooManyKeysError,
  toKeyInfo,
  type ApiKeyInfo,
  type ChangeBy,
  type KeyRow,
  type KeyStore,
} from '../keys.js';
import type { KeyRole } from '../store.js';
import { sqliteAuditAppender } from './audit.js';

/**
 * The key insert of a connection: a new key of `role` for `siteId`, returned in clear text once.
 *
 * @example
 * const insertKey = sqliteKeyInserter(db);
 * const { secret } = insertKey(siteId, 'admin', 'alice', now);
 */
export function sqliteKeyInserter(db: Database.Database) {
  const insert = db.prepare(
    'INSERT INTO api_keys (hash, site_id, role, created_at, id, label) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return function insertKey(siteId: string, role: KeyRole, label: string, now: number) {
    const secret = newKey(role === 'admin' ? 'wpa' : 'wpi');
    const key: ApiKeyInfo = { id: newId('key'), siteId, role, label, createdAt: now, lastUsedAt: null };
    insert.run(hashKey(secret), siteId, role, now, key.id, label);
    return { key, secret };
  };
}

/**
 * API keys on SQLite: create, list, revoke, each change recorded in the audit log in its transaction.
 *
 * @example
 * const keys = sqliteKeyStore(db);
 * await keys.listKeys(siteId);
 */
export function sqliteKeyStore(db: Database.Database): KeyStore {
  const insertKey = sqliteKeyInserter(db);
  const appendAudit = sqliteAuditAppender(db);
  const siteExists = db.prepare<[string], { id: string }>('SELECT id FROM sites WHERE id = ?');
  const list = db.prepare<[string], KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE site_id = ? ORDER BY created_at, id`,
  );
  const select = db.prepare<[string, string], KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE site_id = ? AND id = ?`,
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM api_keys WHERE site_id = ?');
  const admins = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM api_keys WHERE site_id = ? AND role = 'admin'",
  );
  const remove = db.prepare('DELETE FROM api_keys WHERE site_id = ? AND id = ?');

  const create = db.transaction((siteId: string, role: KeyRole, label: string, by: ChangeBy, now: number) => {
    if (!siteExists.get(siteId)) throw new Error(`no site ${JSON.stringify(siteId)}`);
    if (count.get(siteId)!.n >= MAX_KEYS_PER_SITE) throw new TooManyKeysError();
    const created = insertKey(siteId, role, label, now);
    appendAudit(siteId, { ...by, action: 'key.create', target: created.key.id, before: null, after: created.key }, now);
    return created;
  });
  const revoke = db.transaction((siteId: string, keyId: string, by: ChangeBy, now: number) => {
    const row = select.get(siteId, keyId);
    if (!row) return null;
    if (row.role === 'admin' && admins.get(siteId)!.n <= 1) throw new LastAdminKeyError(keyId);
    remove.run(siteId, keyId);
    const key = toKeyInfo(row);
    appendAudit(siteId, { ...by, action: 'key.revoke', target: keyId, before: key, after: null }, now);
    return key;
  });

  return {
    async createKey(siteId, { role, label }, by, now) {
      return create(siteId, role, label, by, now);
    },
    async listKeys(siteId) {
      return list.all(siteId).map(toKeyInfo);
    },
    async revokeKey(siteId, keyId, by, now) {
      return revoke(siteId, keyId, by, now);
    },
  };
}
