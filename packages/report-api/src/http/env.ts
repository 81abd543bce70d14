import type { DashboardOptions } from '../dashboard/routes.js';
import type { KeyRole, Site, Store } from '../db/store.js';

/** Limits of `POST /v1/events`, in bytes. */
export interface BodyLimits {
  /** Largest request body as sent (compressed when gzip). Default 5 MB. */
  maxBodyBytes: number;
  /**
   * Largest body after gunzip (zip-bomb guard), enforced while inflating. Default
   * `MAX_BATCH_JSON_BYTES` (~16 MB): 5000 events with every text field at its longest.
   */
  maxDecompressedBytes: number;
}

/** Process-wide and per-site bounds of `POST /v1/events`; see `ingestLimits`. */
export interface IngestLimits {
  /** Bodies read, parsed and stored at once across the process; one more gets 503 + Retry-After. Default 16. */
  maxConcurrentBodies: number;
  /** Decompressed bytes held by all bodies in flight; past it a body gets 503 + Retry-After. Default 64 MB. */
  maxInFlightBytes: number;
  /** Events per second each site earns; over it, 429 + Retry-After. Default 50,000. */
  siteEventsPerSecond: number;
  /** Events a site may send at once after a quiet spell. Default 1,000,000. */
  siteBurstEvents: number;
  /** Sites whose rate is remembered (LRU). Default 10,000. */
  maxTrackedSites: number;
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
  limits?: Partial<BodyLimits & IngestLimits>;
  /** Where unexpected errors are logged (never sent to clients). Default `console.error`. */
  logError?: (error: unknown) => void;
  /** Dashboard settings (session secret, public origin); see `DashboardOptions`. */
  dashboard?: DashboardOptions;
  /** Called when a site's deny list changed through the API (e.g. `createEdgeNotifier(...).notify`). */
  onDenyListChange?: (siteId: string) => void;
}

/** `AppDeps` with every default filled in; what sub-routers receive. */
export interface ResolvedDeps {
  store: Store;
  now: () => number;
  /** Ingest limits are filled in by `createApp`; a route test may give only the body limits. */
  limits: BodyLimits & Partial<IngestLimits>;
  logError: (error: unknown) => void;
  onDenyListChange?: (siteId: string) => void;
}

/** Hono environment: the auth middleware sets the caller's site and role. */
export interface AppEnv {
  Variables: {
    site: Site;
    role: KeyRole;
    /** The caller's key (id and label): the actor of the audit entries of its changes. */
    key: { id: string; label: string };
  };
}
