import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

// The PostgreSQL schema: the tables and columns of the SQLite schema (src/db/sqlite/schema.ts), with
// PostgreSQL types. `pnpm --filter @watchpost/report-api db:generate:pg` turns changes here into a
// migration under drizzle-pg/ (committed, applied by openPostgresStore). Never edit generated
// migrations by hand.
//
// Differences from SQLite, each on purpose:
// - epoch milliseconds are `bigint` (read back as JS numbers: they stay below 2^53), counters
//   `double precision` (sample-weighted sums), booleans `boolean`;
// - raw events are indexed by (site_id, ip | country | path, ts): PostgreSQL's B-tree serves those
//   look-ups directly, so the per-minute index trick of SQLite (src/db/sqlite/minutes.ts) is not needed;
// - no `rollup_backlog`: rollups are written in the same transaction as their batch (exactly once,
//   whichever report-api instance takes the batch), not held in memory;
// - the foreign keys to `sites` (api_keys, webhooks, alert_settings) are in a custom migration
//   (drizzle-pg/0001_site_foreign_keys.sql) instead of `.references()` here: drizzle-kit writes
//   `REFERENCES "public"."sites"`, which would tie the store to the `public` schema (see the `schema`
//   option of openPostgresStore).

const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const sites = pgTable('sites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  homeCountry: text('home_country'),
  createdAt: epochMs('created_at').notNull(),
});

/**
 * API keys, stored as sha256 of the clear-text key. `id` names a key in lists and the audit log (keys
 * of sites created before keys had labels got one, and the label `initial`, in migration 0009).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    hash: text('hash').primaryKey(),
    siteId: text('site_id').notNull(),
    role: text('role', { enum: ['ingest', 'admin'] }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    id: text('id'),
    label: text('label').notNull().default('initial'),
    /** Epoch ms of the last request with the key, to the minute (null: never used since the key got labels). */
    lastUsedAt: epochMs('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_id').on(t.id), index('api_keys_site').on(t.siteId)],
);

/**
 * Who changed what on a site, and when (see the SQLite schema). `before`/`after` are JSON text, as
 * on SQLite, so both stores hand back the same bounded values.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: text('site_id').notNull(),
    at: epochMs('at').notNull(),
    actorKind: text('actor_kind', { enum: ['key', 'cli', 'dashboard', 'policy'] }).notNull(),
    actorLabel: text('actor_label').notNull(),
    actorKeyId: text('actor_key_id'),
    action: text('action').notNull(),
    target: text('target').notNull(),
    reason: text('reason').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_site_at').on(t.siteId, t.at, t.id)],
);

/** Batch ids already stored, per site: the idempotency record of `POST /v1/events`. */
export const batches = pgTable(
  'batches',
  {
    siteId: text('site_id').notNull(),
    batchId: text('batch_id').notNull(),
    receivedAt: epochMs('received_at').notNull(),
    events: integer('events').notNull(),
    dropped: integer('dropped').notNull().default(0),
    /** Events of the batch the report API refused one by one (invalid), the rest were stored. */
    rejected: integer('rejected').notNull().default(0),
    /** The batch's `source`; ids of `import` batches are kept past retention (a re-import stays a duplicate). */
    source: text('source').notNull().default(''),
  },
  // Per site (unlike SQLite's `received_at` alone): retention deletes one site at a time.
  (t) => [primaryKey({ columns: [t.siteId, t.batchId] }), index('batches_site_received').on(t.siteId, t.receivedAt)],
);

/**
 * Raw events, kept for the retention window. In the database the table is partitioned by UTC day
 * (custom migration `0018_events_by_day`, which drizzle-kit does not describe): `id` there comes from
 * the sequence `events_id_seq` and the primary key is `(id, ts)`. A migration generated from this
 * file that touches `events` must be checked against that.
 */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: text('site_id').notNull(),
    ts: epochMs('ts').notNull(),
    ip: text('ip').notNull(),
    country: text('country'),
    method: text('method').notNull(),
    host: text('host').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    latencyMs: doublePrecision('latency_ms').notNull(),
    ua: text('ua').notNull(),
    action: text('action', { enum: ['allow', 'block', 'count'] }).notNull(),
    rule: text('rule'),
    botCategory: text('bot_category'),
    // The name the user agent gives (claimed, not proven); null for browsers and older senders.
    botName: text('bot_name'),
    sampleRate: doublePrecision('sample_rate').notNull(),
    // 32-bit unsigned ASNs do not fit PostgreSQL's signed integer.
    asn: bigint('asn', { mode: 'number' }),
    // Login attempts: outcome, and the account as 32 hex chars of an HMAC (never clear text).
    loginOutcome: text('login_outcome', { enum: ['success', 'failed'] }),
    loginAccount: text('login_account'),
  },
  (t) => [
    index('events_site_ts').on(t.siteId, t.ts),
    // Login attempts and rate-rule refusals are a small share of a day: the report's two sections
    // read them through these instead of scanning every event of the day, from the index alone once
    // vacuumed (`listKind`: every column it selects or orders by is here).
    index('events_site_ts_login')
      .on(t.siteId, t.ts, t.id, t.ip, t.country, t.sampleRate, t.action, t.rule, t.loginOutcome, t.loginAccount)
      .where(sql`login_outcome IS NOT NULL`),
    index('events_site_ts_rate')
      .on(t.siteId, t.ts, t.id, t.ip, t.country, t.sampleRate, t.action, t.rule, t.loginOutcome, t.loginAccount)
      .where(sql`rule LIKE 'rate:%'`),
    index('events_site_ip_ts').on(t.siteId, t.ip, t.ts),
    // A client's probed paths (`probedPaths`): through its probes alone, however many other
    // requests it sent that day.
    index('events_site_ip_probe')
      .on(t.siteId, t.ip, t.ts, t.path)
      .where(sql`rule LIKE 'probe%'`),
    index('events_site_country_ts').on(t.siteId, t.country, t.ts),
    index('events_site_path_ts').on(t.siteId, t.path, t.ts),
    // Bots by name (the per-bot drill-down); browsers' events, most of them, are left out.
    index('events_site_bot_name_ts')
      .on(t.siteId, t.botName, t.ts)
      .where(sql`bot_name IS NOT NULL`),
  ],
);

const counters = {
  requests: doublePrecision('requests').notNull().default(0),
  blocked: doublePrecision('blocked').notNull().default(0),
  counted: doublePrecision('counted').notNull().default(0),
  s1xx: doublePrecision('s1xx').notNull().default(0),
  s2xx: doublePrecision('s2xx').notNull().default(0),
  s3xx: doublePrecision('s3xx').notNull().default(0),
  s4xx: doublePrecision('s4xx').notNull().default(0),
  s5xx: doublePrecision('s5xx').notNull().default(0),
  probes: doublePrecision('probes').notNull().default(0),
  scanner: doublePrecision('scanner').notNull().default(0),
};

/** Site traffic per quarter hour (UTC epoch ms of the bucket start). Kept for good. */
export const traffic15m = pgTable(
  'traffic_15m',
  { siteId: text('site_id').notNull(), start: epochMs('start').notNull(), ...counters },
  (t) => [primaryKey({ columns: [t.siteId, t.start] })],
);

/** Per site, per site-local day, per dimension value. Kept for good. */
export const rollupDay = pgTable(
  'rollup_day',
  {
    siteId: text('site_id').notNull(),
    day: text('day').notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    extra: text('extra'),
    ...counters,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.dim, t.key] })],
);

/**
 * Site-wide 4xx+5xx per 5-second bucket (`start` a multiple of 5 s). A burst is any six
 * consecutive buckets (30 s) over the threshold (`src/reports/bursts.ts`). Kept for good.
 */
export const errors5s = pgTable(
  'errors_5s',
  { siteId: text('site_id').notNull(), start: epochMs('start').notNull(), errors: doublePrecision('errors').notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.start] })],
);

/** 4xx+5xx per IP per 5-second bucket. Purged with raw events. */
export const ipErrors5s = pgTable(
  'ip_errors_5s',
  {
    siteId: text('site_id').notNull(),
    start: epochMs('start').notNull(),
    ip: text('ip').notNull(),
    errors: doublePrecision('errors').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.start, t.ip] }),
    // The report's evidence: each candidate IP's buckets of a day, read by IP (its window sums),
    // with the errors in the index, instead of every IP's buckets of the day by time.
    index('ip_errors_5s_site_ip_start').on(t.siteId, t.ip, t.start, t.errors),
  ],
);

export const denyEntries = pgTable(
  'deny_entries',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    value: text('value').notNull(),
    reason: text('reason').notNull(),
    source: text('source', { enum: ['manual', 'auto', 'import'] }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at'),
  },
  (t) => [index('deny_site').on(t.siteId, t.expiresAt)],
);

/** Chat webhooks of a site; the URL is a secret. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    url: text('url').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [index('webhooks_site').on(t.siteId)],
);

/** When the daily report goes out; a site without a row uses 17:00 on business days. */
export const alertSettings = pgTable('alert_settings', {
  siteId: text('site_id').primaryKey(),
  reportTime: text('report_time').notNull(),
  businessDaysOnly: boolean('business_days_only').notNull(),
});

/** One row per message per webhook: delivered, failed after retries, or dropped from a full queue. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: text('site_id').notNull(),
    webhookId: text('webhook_id').notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    status: text('status', { enum: ['delivered', 'failed', 'dropped'] }).notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    attempts: integer('attempts').notNull(),
    at: epochMs('at').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('alert_deliveries_site_at').on(t.siteId, t.at)],
);

/** Service-wide settings that must survive restarts, e.g. the generated dashboard session secret. */
/** Time-bound claims between report-API instances (`LeaseStore`). Expired rows go at purge. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: epochMs('expires_at').notNull(),
});

export const settings = pgTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: epochMs('created_at').notNull(),
});

/**
 * Triage cases: one per site and client (an IP, or an IPv6 /64), from the evidence of the daily
 * reports, with the decision taken on it. JSON columns are bounded by the case store.
 */
export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    client: text('client').notNull(),
    country: text('country'),
    state: text('state', { enum: ['new', 'denied', 'allowed', 'dismissed', 'ticketed'] }).notNull(),
    kinds: text('kinds').notNull(),
    evidence: text('evidence').notNull(),
    requests: doublePrecision('requests').notNull(),
    firstDay: text('first_day').notNull(),
    lastDay: text('last_day').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    decision: text('decision'),
    reopenedAt: epochMs('reopened_at'),
  },
  (t) => [
    uniqueIndex('cases_site_client').on(t.siteId, t.client),
    index('cases_site_state_updated').on(t.siteId, t.state, t.updatedAt),
  ],
);

/**
 * GuardDuty findings imported for a site: one row per finding and remote IP (`ip` is empty for a
 * finding without one). Re-importing a finding replaces its rows.
 */
export const findings = pgTable(
  'findings',
  {
    siteId: text('site_id').notNull(),
    findingId: text('finding_id').notNull(),
    ip: text('ip').notNull(),
    type: text('type').notNull(),
    severity: doublePrecision('severity').notNull(),
    region: text('region').notNull(),
    accountId: text('account_id').notNull(),
    resource: text('resource').notNull(),
    country: text('country'),
    firstSeen: epochMs('first_seen').notNull(),
    lastSeen: epochMs('last_seen').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.findingId, t.ip] }),
    index('findings_site_last_seen').on(t.siteId, t.lastSeen),
  ],
);

/** Auto-deny policies a site turned on (JSON), see `db/policies.ts`. */
export const sitePolicies = pgTable('site_policies', {
  siteId: text('site_id').primaryKey(),
  policies: text('policies').notNull(),
  updatedAt: epochMs('updated_at').notNull(),
});

/** Threat-intelligence lists imported for a site (`--format iplist`): IPs and CIDR blocks per source. */
export const intelEntries = pgTable(
  'intel_entries',
  {
    siteId: text('site_id').notNull(),
    source: text('source').notNull(),
    value: text('value').notNull(),
    addedAt: epochMs('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.source, t.value] })],
);
