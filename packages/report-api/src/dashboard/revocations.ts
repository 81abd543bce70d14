/**
 * Where sign-outs are remembered. Session tokens are stateless (an HMAC over id, sites, expiry),
 * so a signed-out token stays valid until it expires unless its id is recorded somewhere every
 * instance, and the next process after a restart, can read it.
 */
import type { SettingsStore } from '../db/settings.js';

/**
 * Records and answers "was this session signed out?".
 *
 * @example
 * if (await revocations.isRevoked(session.id)) return null;
 */
export interface SessionRevocations {
  isRevoked(sessionId: string): Promise<boolean>;
  /** `expiresAt` (epoch ms) is when the session would have ended anyway: the record may go then. */
  revoke(sessionId: string, expiresAt: number): Promise<void>;
}

/** Prefix of sign-out records in the `settings` table; the session id follows. */
export const SIGNED_OUT_SETTING = 'dashboard.signedOut.';

/**
 * Sign-outs in this process's memory only: they end with it. The default of `createSessions`.
 *
 * @example
 * createSessions({ secret, revocations: memoryRevocations({ now: Date.now }) });
 */
export function memoryRevocations({
  now = Date.now,
  maxRevoked = 10_000,
}: { now?: () => number; maxRevoked?: number } = {}): SessionRevocations {
  const revoked = new Map<string, number>();
  return {
    async isRevoked(sessionId) {
      return revoked.has(sessionId);
    },
    async revoke(sessionId, expiresAt) {
      const t = now();
      for (const [id, until] of revoked) if (until <= t) revoked.delete(id);
      while (revoked.size >= maxRevoked) {
        const oldest = revoked.keys().next().value;
        if (oldest === undefined) break;
        revoked.delete(oldest);
      }
      revoked.set(sessionId, expiresAt);
    },
  };
}

/**
 * Options of `settingsRevocations`.
 *
 * @example
 * settingsRevocations(store, { now: Date.now, ttlMs: 8 * 3_600_000 });
 */
export interface SettingsRevocationsOptions {
  now?: () => number;
  /** Session lifetime: a record older than this names a session that has expired anyway. */
  ttlMs: number;
}

/**
 * Sign-outs kept in the database's `settings` table (one row per sign-out, `dashboard.signedOut.ID`),
 * read on every request of a session, so they hold across restarts and between instances sharing
 * the database. Each sign-out deletes the records older than a session lifetime. A memory copy
 * answers this process's own sign-outs without a read.
 *
 * @example
 * createSessions({ secret, revocations: settingsRevocations(store, { ttlMs: 8 * 3_600_000 }) });
 */
export function settingsRevocations(
  settings: SettingsStore,
  { now = Date.now, ttlMs }: SettingsRevocationsOptions,
): SessionRevocations {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new TypeError(`settingsRevocations: ttlMs must be positive, got ${ttlMs}`);
  const local = memoryRevocations({ now });
  return {
    async isRevoked(sessionId) {
      return (await local.isRevoked(sessionId)) || (await settings.setting(SIGNED_OUT_SETTING + sessionId)) !== null;
    },
    async revoke(sessionId, expiresAt) {
      await local.revoke(sessionId, expiresAt);
      await settings.settingOrCreate(SIGNED_OUT_SETTING + sessionId, () => String(expiresAt));
      // Recorded at least a lifetime ago: the session it names has expired, the record can go.
      await settings.deleteSettings(SIGNED_OUT_SETTING, now() - ttlMs);
    },
  };
}
