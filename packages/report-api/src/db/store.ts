import type { DenyEntry, DenySource, EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { AlertStore } from './alerts.js';
import type { CaseStore } from './cases.js';
import type { FindingStore } from './findings.js';
import type { PolicyStore } from './policies.js';
import type { IntelStore } from './intel.js';
import type { BotActivityStore } from './bot-activity.js';
import type { AuditStore } from './audit.js';
import type { DrillDownStore } from './drilldown.js';
import type { IngestStatsStore } from './ingest-stats.js';
import type { ChangeBy, KeyStore } from './keys.js';
import type { LeaseStore } from './leases.js';
import type { SettingsStore } from './settings.js';

/**
 * The storage contract of the report API. Routes, reports and the CLI talk only to `Store`, so a
 * PostgreSQL store can replace the SQLite one without touching them. Every method is async and every
 * query takes a `siteId`: nothing reads or writes across sites.
 *
 * `Store` is composed of smaller interfaces, one per concern. To add a concern, declare a new
 * `XxxStore` interface in its own file, add it to the `extends` list of `Store` below, implement it
 * in both dialects (`sqlite/` and `postgres/`), and cover it in the contract suite
 * (`test/store-contract/`), which runs against both.
 */

/** A tenant. Everything else belongs to exactly one site. */
export interface Site {
  id: string;
  name: string;
  /** IANA time zone of the site's local day, e.g. `Asia/Tokyo`. Fixed at creation (rollups depend on it). */
  timeZone: string;
  /** ISO 3166-1 alpha-2 code of the home country, or null. */
  homeCountry: string | null;
  createdAt: number;
}

/** An ingest key writes events and reads the deny list; an admin key may also manage it and read reports. */
export type KeyRole = 'ingest' | 'admin';

/** What a new site gets: its keys in clear text, returned exactly once (only their hashes are stored). */
export interface CreatedSite {
  site: Site;
  ingestKey: string;
  adminKey: string;
}

export interface NewSite {
  name: string;
  timeZone: string;
  homeCountry: string | null;
}

/** What a clear-text key resolves to: its site, role, and the key's id and label (the actor of audit entries). */
export interface ResolvedKey {
  site: Site;
  role: KeyRole;
  keyId: string;
  label: string;
}

/** Sites and API keys. */
export interface SiteStore {
  /** Creates a site and its first ingest and admin keys (labelled `initial`). */
  createSite(input: NewSite): Promise<CreatedSite>;
  listSites(): Promise<Site[]>;
  getSite(siteId: string): Promise<Site | null>;
  /**
   * Resolves a clear-text key to its site and role, or null for an unknown or revoked key. Notes the
   * key's last use, at most once a minute per key.
   */
  resolveKey(key: string): Promise<ResolvedKey | null>;
  /** Renames a site and records `site.rename`; null for an unknown site. */
  renameSite(siteId: string, name: string, by: ChangeBy, now: number): Promise<Site | null>;
  /**
   * Deletes a site and every row of it (events, rollups, keys, deny list, webhooks, audit log: every
   * table with a `site_id`) in one transaction, leaving one `site.delete` audit entry; null for an
   * unknown site, else the number of rows deleted.
   */
  deleteSite(siteId: string, by: ChangeBy, now: number): Promise<{ rows: number } | null>;
}

/** Answer of `ingestBatch`: a batch already stored (same site, same batchId) is reported as duplicate. */
export interface IngestResult {
  accepted: number;
  duplicate: boolean;
}

/** What the ingest validator counted about a batch, kept in its `batches` row. */
export interface BatchStats {
  /** Events of the batch refused by validation (not in `batch.events`). */
  rejected: number;
  /**
   * A sampled import (`storeIngest`'s `sampleRate`): every event of the batch at its own weight, folded
   * into the rollups instead of `batch.events`, which then holds only the raw events kept. The
   * rollups stay exact while raw events are sampled.
   */
  rollupEvents?: readonly WatchpostEvent[];
}

/** A stored raw event (the wire event plus the site and the batch it came in). */
export interface StoredEvent extends WatchpostEvent {
  id: number;
  siteId: string;
}

/** Filter for raw events of one site; `to` is exclusive. Results are newest first. */
export interface EventQuery {
  from: number;
  to: number;
  ip?: string;
  country?: string | null;
  path?: string;
  /** Most rows returned; stores cap it at 10,000 (`listKind` lists login attempts and rate-rule events). */
  limit: number;
}

/** Login attempts (`login` set), or events of a rate rule (`rule` starting `rate:`). */
export type EventKind = 'login' | 'rate';

/** Most rows of one `kind` a store returns: what a day's report reads of login and rate events. */
export const MAX_KIND_LIST = 200_000;
/** Probe events `probedPaths` reads at most, and the most paths it names. */
export const PROBE_ROWS = 1_000;
export const MAX_PROBED_PATHS = 10;

/**
 * A login attempt or a rate-rule event as the report's logins and rate sections and their alerts
 * read it: the fields a partial index holds, so listing a day's worth reads no table rows.
 */
export type KindEvent = Pick<StoredEvent, 'ts' | 'ip' | 'country' | 'sampleRate' | 'action' | 'rule' | 'login'>;

/** A client refused or counted by rate rules over a range (`rateLimitedClients`); counts sample-weighted. */
export interface RateLimitedClient {
  ip: string;
  /** The smallest country code among its rate events (one, unless its address moved); null when none. */
  country: string | null;
  /** Rule names without `rate:`, sorted; the first 20. */
  rules: string[];
  refused: number;
  counted: number;
  /** Epoch ms of its first and last refused request; null when it was only counted. */
  firstRefused: number | null;
  lastRefused: number | null;
}

/** A client's busiest minute: its start (epoch ms) and the requests it sent in it. */
export interface PeakMinute {
  minute: number;
  requests: number;
}

/** Raw events: ingest, drill-down, retention. */
export interface EventStore {
  /**
   * Stores a validated batch in one transaction and updates the rollups; idempotent by `batchId` per site.
   * `json` is the batch's JSON text as received, when the caller has it (`JSON.parse(json)` must hold
   * the same values as `batch`): a store that hands batches to another thread sends the text instead
   * of copying the objects.
   */
  ingestBatch(siteId: string, batch: EventBatch, json?: string, stats?: BatchStats): Promise<IngestResult>;
  listEvents(siteId: string, query: EventQuery): Promise<StoredEvent[]>;
  /**
   * The login attempts (`kind: 'login'`) or rate-rule events (`'rate'`) of `[from, to)`, newest
   * first, at most `MAX_KIND_LIST`, with only the fields of `KindEvent` (from the kind's covering
   * partial index).
   */
  listKind(siteId: string, query: { from: number; to: number; kind: EventKind; limit: number }): Promise<KindEvent[]>;
  /**
   * The minute of `[from, to)` in which `ip` sent most requests (sample-weighted, from all its raw
   * events, however many), or null when it sent none. `minute` is the minute's start, epoch ms.
   */
  peakMinute(siteId: string, query: { from: number; to: number; ip: string }): Promise<PeakMinute | null>;
  /**
   * Up to `limit` (at most 10) distinct paths `ip` probed in `[from, to)` (events of a `probe…` rule),
   * latest first; reads at most 1,000 of its probe events (a partial index holds them), so a client that
   * probed one path all day costs no more than one that probed a few.
   */
  probedPaths(siteId: string, query: { from: number; to: number; ip: string; limit: number }): Promise<string[]>;
  /**
   * The clients refused or counted by a rate rule in `[from, to)`, grouped by the store from the
   * rate rules' covering index: the `limit` refused most (then counted most, then by IP), and totals
   * over every client.
   */
  rateLimitedClients(
    siteId: string,
    query: { from: number; to: number; limit: number },
  ): Promise<{ clients: RateLimitedClient[]; totals: { clients: number; refused: number; counted: number } }>;
  /**
   * Deletes raw events (and per-IP burst buckets and live batch ids; ids of `import` batches stay) older than `before`,
   * all sites. Rollups stay.
   */
  purgeBefore(before: number): Promise<{ events: number }>;
}

export interface NewDenyEntry {
  value: string;
  reason: string;
  source: DenySource;
  /** Epoch ms, or null for no expiry. */
  expiresAt: number | null;
}

/** The deny list of each site. Expired entries are never returned. */
export interface DenyListStore {
  listDenyEntries(siteId: string, now: number): Promise<DenyEntry[]>;
  addDenyEntry(siteId: string, entry: NewDenyEntry, now: number): Promise<DenyEntry>;
  /** True when an entry of this site was removed. */
  removeDenyEntry(siteId: string, entryId: string): Promise<boolean>;
}

/** Sample-weighted counters; every rollup row carries them. */
export interface Counters {
  requests: number;
  blocked: number;
  counted: number;
  s1xx: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  /** Requests that matched a rule whose name starts with `probe`. */
  probes: number;
  /** Requests whose user agent was classified `scanner`. */
  scanner: number;
}

/** One quarter-hour bucket of a site's traffic (quarter hours fit every IANA offset). */
export interface TrafficBucket extends Counters {
  start: number;
}

/** Dimensions rolled up per site per local day. */
/** `botname`: bots by the name they give; `botclaim`: impersonators by the crawler name they claimed. */
export type Dimension = 'country' | 'ip' | 'path' | 'ua' | 'bot' | 'botname' | 'botclaim' | 'rule';

/** One value of a dimension over one local day. `extra` is the country of an IP or the bot category of a UA. */
export interface DimensionRow extends Counters {
  key: string;
  extra: string | null;
}

export interface DimensionQuery {
  /** Sort descending by this counter. */
  orderBy: keyof Counters;
  limit: number;
  /** Only rows whose `orderBy` counter is at least this. */
  min?: number;
  /**
   * Only rows where at least one of these counters reaches its minimum (OR). One pass instead of one query per counter.
   */
  anyAtLeast?: Partial<Record<keyof Counters, number>>;
}

/** Weighted 4xx+5xx responses of one 5-second bucket (`start` a multiple of 5 s). */
export interface ErrorBucket {
  start: number;
  errors: number;
}

/** One IP's most weighted 4xx+5xx in 30 s (six consecutive 5-s buckets), and when those 30 s start. */
export interface IpErrorPeak {
  ip: string;
  errors: number;
  /** The first 5-s bucket with errors of the IP's worst 30 s (the earliest such 30 s on a tie). */
  start: number;
}

/** Pre-aggregated traffic: what reports read instead of raw events. */
export interface RollupStore {
  /** Quarter-hour buckets with `from <= start < to`, ascending. */
  trafficBuckets(siteId: string, from: number, to: number): Promise<TrafficBucket[]>;
  /** Rows of one dimension for one site-local day (`YYYY-MM-DD`). */
  topDimension(siteId: string, day: string, dimension: Dimension, query: DimensionQuery): Promise<DimensionRow[]>;
  /** The rows of the given values (e.g. IPs) of a dimension on a local day; unknown values are left out. */
  getDimensionRows(siteId: string, day: string, dimension: Dimension, keys: readonly string[]): Promise<DimensionRow[]>;
  /** Distinct values of a dimension on a local day (e.g. unique IPs). */
  countDimension(siteId: string, day: string, dimension: Dimension): Promise<number>;
  /** Site-wide 5-second error buckets with `from <= start < to` that hold errors, ascending (bursts: `findBursts`). */
  errorBuckets(siteId: string, from: number, to: number): Promise<ErrorBucket[]>;
  /**
   * The IPs with errors in the 5-s buckets `from <= start < to`, each with its worst 30 s there
   * (`IpErrorPeak`), most errors first, then by IP; at most `limit`.
   */
  ipErrorPeaks(siteId: string, from: number, to: number, limit: number): Promise<IpErrorPeak[]>;
  /**
   * `ipErrorPeaks` of each range (one list per range, in order), of only the IPs whose worst 30 s
   * there reach `atLeast.errors`. Candidates come first, once for all the ranges: the IPs with a 5-s
   * bucket in them holding a sixth of that (`bucketFloor`), as no other IP can reach it in 30 s (on a
   * busy day many IPs have errors and the whole day can be one range). At most `maxCandidates`
   * (default `MAX_ERROR_CANDIDATES`, 10,000) of them, those with the most errors in one bucket.
   */
  ipErrorPeaksIn(
    siteId: string,
    ranges: readonly { from: number; to: number }[],
    limit: number,
    atLeast: { errors: number; maxCandidates?: number },
  ): Promise<IpErrorPeak[][]>;
}

/**
 * Everything the report API stores.
 *
 * @example
 * const store = openSqliteStore({ path: './watchpost.db' });
 * const { site, ingestKey } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
 * await store.ingestBatch(site.id, { batchId: 'b-00000001', source: 'express', events: [] });
 * await store.close();
 */
export interface Store
  extends
    SiteStore,
    EventStore,
    DenyListStore,
    RollupStore,
    DrillDownStore,
    AlertStore,
    SettingsStore,
    LeaseStore,
    IngestStatsStore,
    KeyStore,
    AuditStore,
    CaseStore,
    FindingStore,
    PolicyStore,
    IntelStore,
    BotActivityStore {
  close(): Promise<void>;
}
