import type { DashboardOptions } from '../dashboard/routes.js';
import type { KeyRole, Site, Store } from '../db/store.js';

/** Limits of `POST /v1/events`, in bytes. */
export interface BodyLimits {
  /** Largest request body as sent (compressed when gzip). Default 5 MB. */
  maxBodyBytes: number;
  /** Largest body after gunzip (zip-bomb guard). Default 50 MB. */
  maxDecompressedBytes: number;
}

/**
 * What `createApp` needs. Impure things are injected so tests can control them.
 *
 * @example
 * const deps: AppDeps = { store, now: () => Date.parse('2026-03-01T00:00:00Z') };
 */
export interface AppDeps {
  store: Store;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  limits?: Partial<BodyLimits>;
  /** Where unexpected errors are logged (never sent to clients). Default `console.error`. */
  logError?: (error: unknown) => void;
  /** Dashboard settings (session secret, public origin); see `DashboardOptions`. */
  dashboard?: DashboardOptions;
}

/** `AppDeps` with every default filled in; what sub-routers receive. */
export interface ResolvedDeps {
  store: Store;
  now: () => number;
  limits: BodyLimits;
  logError: (error: unknown) => void;
}

/** Hono environment: the auth middleware sets the caller's site and role. */
export interface AppEnv {
  Variables: { site: Site; role: KeyRole };
}
