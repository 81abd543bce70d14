import { randomBytes } from 'node:crypto';
import type { SettingsStore } from '../db/settings.js';
import { UsageError } from './args.js';

/** Name of the generated secret in the `settings` table. */
export const SESSION_SECRET_SETTING = 'dashboard.sessionSecret';
/** Shortest accepted `--session-secret` / `WATCHPOST_SESSION_SECRET`, in characters. */
export const MIN_SECRET_LENGTH = 32;

/** Where the dashboard session secret came from, for the start-up log line. */
export type SessionSecretSource = 'option' | 'env' | 'database';

/**
 * The dashboard's session secret for `watchpost serve`: `--session-secret`, else the environment
 * variable `WATCHPOST_SESSION_SECRET` (its UTF-8 bytes; at least 32 characters, e.g.
 * `openssl rand -base64 32`), else a random 32-byte secret generated once and kept in the database's
 * `settings` table, so restarts keep sessions signed in. A short secret is a usage error.
 *
 * @example
 * const { secret, source } = await resolveSessionSecret(
 *   store,
 *   args['session-secret'],
 *   process.env.WATCHPOST_SESSION_SECRET,
 * );
 * createApp({ store, dashboard: { sessionSecret: secret } });
 */
export async function resolveSessionSecret(
  store: SettingsStore,
  option: string | undefined,
  env: string | undefined,
): Promise<{ secret: Uint8Array; source: SessionSecretSource }> {
  for (const [value, source, name] of [
    [option, 'option', '--session-secret'],
    [env, 'env', 'WATCHPOST_SESSION_SECRET'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (value.length < MIN_SECRET_LENGTH) {
      throw new UsageError(
        `${name}: the session secret must be at least ${MIN_SECRET_LENGTH} characters (got ${value.length}); ` +
          `try: openssl rand -base64 32`,
      );
    }
    return { secret: new TextEncoder().encode(value), source };
  }
  const stored = await store.settingOrCreate(SESSION_SECRET_SETTING, () => randomBytes(32).toString('base64'));
  return { secret: new Uint8Array(Buffer.from(stored, 'base64')), source: 'database' };
}
