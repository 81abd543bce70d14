import type { TicketTarget } from '../cases/tickets.js';
import type { CrawlerVerifier } from '../verify/reverse-dns.js';
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

/** `AppDeps` (of `app.ts`) with every default filled in; what sub-routers receive. */
export interface ResolvedDeps {
  store: Store;
  now: () => number;
  /** Ingest limits are filled in by `createApp`; a route test may give only the body limits. */
  limits: BodyLimits & Partial<IngestLimits>;
  logError: (error: unknown) => void;
  onDenyListChange?: (siteId: string) => void;
  /** Ticket targets per site id (`WATCHPOST_TICKETS`); a site without one cannot ticket cases. */
  tickets?: ReadonlyMap<string, TicketTarget>;
  /** Reverse-DNS check of impersonators in reports (`serve --verify-crawlers`); off when absent. */
  verifyCrawler?: CrawlerVerifier;
  /**
   * The dashboard's public origin (`serve --public-url`): links written into tickets and alerts use
   * it, never the request's Host header. Without it, the request's origin is used.
   */
  publicOrigin?: string;
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
