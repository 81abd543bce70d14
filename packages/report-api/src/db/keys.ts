import type { AuditActor } from './audit.js';
import type { KeyRole } from './store.js';

/** An API key as lists show it: never the secret, never its hash. */
export interface ApiKeyInfo {
  id: string;
  siteId: string;
  role: KeyRole;
  label: string;
  createdAt: number;
  /** Epoch ms of the last request with the key, to the minute; null when unused (or unused since keys got labels). */
  lastUsedAt: number | null;
}

/** A key just created: its secret is shown exactly once (only its hash is stored). */
export interface CreatedKey {
  key: ApiKeyInfo;
  secret: string;
}

/** What `createKey` needs. */
export interface NewKey {
  role: KeyRole;
  label: string;
}

/** Who changed a key or a site, and why: recorded in the audit log in the same transaction as the change. */
export interface ChangeBy {
  actor: AuditActor;
  reason: string;
}

/** Longest key label, in UTF-16 code units. */
export const MAX_KEY_LABEL = 64;

/** Most keys a site may hold: rotation needs two per holder, not thousands. */
export const MAX_KEYS_PER_SITE = 100;

/** The API keys of each site, by id. Revoking deletes a key: it stops working at once. */
export interface KeyStore {
  /**
   * Creates a key of `siteId` (which must exist) and records `key.create`; throws `TooManyKeysError`
   * when the site already holds `MAX_KEYS_PER_SITE` keys.
   */
  createKey(siteId: string, input: NewKey, by: ChangeBy, now: number): Promise<CreatedKey>;
  /** Keys of the site, oldest first. */
  listKeys(siteId: string): Promise<ApiKeyInfo[]>;
  /**
   * Deletes a key of this site and records `key.revoke`; null when the site has no such key. Refuses
   * (throws `LastAdminKeyError`) to revoke the site's last admin key, which would lock its admins out.
   */
  revokeKey(siteId: string, keyId: string, by: ChangeBy, now: number): Promise<ApiKeyInfo | null>;
}

/**
 * Revoking this key would leave the site without an admin key.
 *
 * @example
 * try { await store.revokeKey(site, id, by, now); } catch (e) { if (e instanceof LastAdminKeyError) ... }
 */
export class LastAdminKeyError extends Error {
  override name = 'LastAdminKeyError';
  constructor(keyId: string) {
    super(`${keyId} is the last admin key of its site: create another admin key before revoking it`);
  }
}

/**
 * The site already holds `MAX_KEYS_PER_SITE` keys: revoke some before creating more.
 *
 * @example
 * if (error instanceof TooManyKeysError) answer(409, error.message);
 */
export class TooManyKeysError extends Error {
  override name = 'TooManyKeysError';
  constructor() {
    super(`a site holds at most ${MAX_KEYS_PER_SITE} keys: revoke unused keys (keys list) before creating more`);
  }
}

/** A stored key row of either SQL store. */
export interface KeyRow {
  id: string;
  site_id: string;
  role: KeyRole;
  label: string;
  created_at: number;
  last_used_at: number | null;
}

/** @example rows.map(toKeyInfo) */
export const toKeyInfo = (row: KeyRow): ApiKeyInfo => ({
  id: row.id,
  siteId: row.site_id,
  role: row.role,
  label: row.label,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

/** Columns of `KeyRow`. */
export const KEY_COLUMNS = 'id, site_id, role, label, created_at, last_used_at';

/** How stale `last_used_at` may get before a request writes it again: one write per key per minute at most. */
export const LAST_USED_GRANULARITY_MS = 60_000;
