import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// The SQLite schema. `pnpm --filter @watchpost/report-api db:generate` turns changes here into a
// migration under drizzle/ (committed, applied at open). Never edit generated migrations by hand.

export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  homeCountry: text('home_country'),
  createdAt: integer('created_at').notNull(),
});

/**
 * API keys, stored as sha256 of the clear-text key. `id` names a key in lists and the audit log (keys
 * of sites created before keys had labels got one, and the label `initial`, in migration 0016).
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    hash: text('hash').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    role: text('role', { enum: ['ingest', 'admin'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    id: text('id'),
    label: text('label').notNull().default('initial'),
    /** Epoch ms of the last request with the key, to the minute (null: never used since the key got labels). */
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_id').on(t.id), index('api_keys_site').on(t.siteId)],
);

/**
 * Who changed what on a site, and when: deny-list changes, keys created and revoked, renames and
 * deletions. `before`/`after` are JSON text, bounded in size. Kept when a site is deleted only for
 * the `site.delete` row itself.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey(),
    siteId: text('site_id').notNull(),
    at: integer('at').notNull(),
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
export const batches = sqliteTable(
  'batches',
  {
    siteId: text('site_id').notNull(),
    batchId: text('batch_id').notNull(),
    receivedAt: integer('received_at').notNull(),
    events: integer('events').notNull(),
    dropped: integer('dropped').notNull().default(0),
    /** Events of the batch the report API refused one by one (invalid), the rest were stored. */
    rejected: integer('rejected').notNull().default(0),
    /** The batch's `source`; ids of `import` batches are kept past retention (a re-import stays a duplicate). */
    source: text('source').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.batchId] }), index('batches_received').on(t.receivedAt)],
);

/** Raw events, kept for the retention window. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey(),
    siteId: text('site_id').notNull(),
    ts: integer('ts').notNull(),
    ip: text('ip').notNull(),
    country: text('country'),
    method: text('method').notNull(),
    host: text('host').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    latencyMs: real('latency_ms').notNull(),
    ua: text('ua').notNull(),
    action: text('action', { enum: ['allow', 'block', 'count'] }).notNull(),
    rule: text('rule'),
    botCategory: text('bot_category'),
    // The name the user agent gives (claimed, not proven); null for browsers and older senders.
    botName: text('bot_name'),
    sampleRate: real('sample_rate').notNull(),
    asn: integer('asn'),
    // Login attempts: outcome, and the account as 32 hex chars of an HMAC (never clear text).
    loginOutcome: text('login_outcome', { enum: ['success', 'failed'] }),
    loginAccount: text('login_account'),
  },
  // (site, minute, ip) rather than (site, ip, ts): a batch of events from the same minutes lands on a few
  // index pages instead of one random page per event (ingest is about 1.9x faster); per-IP queries seek
  // once per minute of their range (`src/db/sqlite/minutes.ts`). Queries must spell `ts / 60000` exactly.
  // The dashboard's country and path pages use the same shape (`events_site_minute_country`, `_path`).
  (t) => [
    index('events_site_ts').on(t.siteId, t.ts),
    // Login attempts and rate-rule refusals are a small share of a day: the report's two sections
    // read them through these instead of scanning every event of the day, from the index alone
    // (`listKind`: every column it selects is here; the rowid is the id).
    index('events_site_ts_login')
      .on(t.siteId, t.ts, t.ip, t.country, t.sampleRate, t.action, t.rule, t.loginOutcome, t.loginAccount)
      .where(sql`login_outcome IS NOT NULL`),
    index('events_site_ts_rate')
      .on(t.siteId, t.ts, t.ip, t.country, t.sampleRate, t.action, t.rule, t.loginOutcome, t.loginAccount)
      .where(sql`rule LIKE 'rate:%'`),
    // A client's probed paths (`probedPaths`, naming the top probers' paths in the report), from the
    // index alone: probes are a small share of the events.
    index('events_site_ip_probe')
      .on(t.siteId, t.ip, t.ts, t.path)
      .where(sql`rule LIKE 'probe%'`),
    index('events_site_minute_ip').on(t.siteId, sql`(${t.ts} / 60000)`, t.ip),
    index('events_site_minute_country').on(t.siteId, sql`(${t.ts} / 60000)`, t.country),
    index('events_site_minute_path').on(t.siteId, sql`(${t.ts} / 60000)`, t.path),
    // Bots by name (the per-bot drill-down); browsers' events, most of them, are left out.
    index('events_site_minute_bot_name')
      .on(t.siteId, sql`(${t.ts} / 60000)`, t.botName)
      .where(sql`bot_name IS NOT NULL`),
  ],
);

const counters = {
  requests: real('requests').notNull().default(0),
  blocked: real('blocked').notNull().default(0),
  counted: real('counted').notNull().default(0),
  s1xx: real('s1xx').notNull().default(0),
  s2xx: real('s2xx').notNull().default(0),
  s3xx: real('s3xx').notNull().default(0),
  s4xx: real('s4xx').notNull().default(0),
  s5xx: real('s5xx').notNull().default(0),
  probes: real('probes').notNull().default(0),
  scanner: real('scanner').notNull().default(0),
};

/** Site traffic per quarter hour (UTC epoch ms of the bucket start). Kept for good. */
export const traffic15m = sqliteTable(
  'traffic_15m',
  { siteId: text('site_id').notNull(), start: integer('start').notNull(), ...counters },
  (t) => [primaryKey({ columns: [t.siteId, t.start] })],
);

/** Per site, per site-local day, per dimension value. Kept for good. */
export const rollupDay = sqliteTable(
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
export const errors5s = sqliteTable(
  'errors_5s',
  { siteId: text('site_id').notNull(), start: integer('start').notNull(), errors: real('errors').notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.start] })],
);

/** 4xx+5xx per IP per 5-second bucket. Purged with raw events. */
export const ipErrors5s = sqliteTable(
  'ip_errors_5s',
  {
    siteId: text('site_id').notNull(),
    start: integer('start').notNull(),
    ip: text('ip').notNull(),
    errors: real('errors').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.start, t.ip] }),
    // The report's evidence: each candidate IP's buckets of a day, read by IP (its window sums),
    // with the errors in the index, instead of every IP's buckets of the day by time.
    index('ip_errors_5s_site_ip_start').on(t.siteId, t.ip, t.start, t.errors),
  ],
);

/**
 * Raw events (ids `first_id..last_id`) whose rollups a running writer still holds in memory. The
 * writer deletes its ranges when it flushes; ranges of a writer that died are rebuilt from the raw
 * events (`src/db/sqlite/rollup-buffer.ts`).
 */
export const rollupBacklog = sqliteTable('rollup_backlog', {
  id: integer('id').primaryKey(),
  firstId: integer('first_id').notNull(),
  lastId: integer('last_id').notNull(),
  owner: text('owner').notNull(),
  recordedAt: integer('recorded_at').notNull(),
});

/** Time-bound claims between processes on one database (`LeaseStore`). Expired rows go at purge. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const denyEntries = sqliteTable(
  'deny_entries',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    value: text('value').notNull(),
    reason: text('reason').notNull(),
    source: text('source', { enum: ['manual', 'auto', 'import'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
  },
  (t) => [index('deny_site').on(t.siteId, t.expiresAt)],
);

// --- alerts: webhooks, report schedule, delivery log ---

/** Chat webhooks of a site; the URL is a secret. */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    url: text('url').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhooks_site').on(t.siteId)],
);

/** When the daily report goes out; a site without a row uses 17:00 on business days. */
export const alertSettings = sqliteTable('alert_settings', {
  siteId: text('site_id')
    .primaryKey()
    .references(() => sites.id),
  reportTime: text('report_time').notNull(),
  businessDaysOnly: integer('business_days_only').notNull(),
});

/** One row per message per webhook: delivered, failed after retries, or dropped from a full queue. */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: integer('id').primaryKey(),
    siteId: text('site_id').notNull(),
    webhookId: text('webhook_id').notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    status: text('status', { enum: ['delivered', 'failed', 'dropped'] }).notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    attempts: integer('attempts').notNull(),
    at: integer('at').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('alert_deliveries_site_at').on(t.siteId, t.at)],
);

/** Service-wide settings that must survive restarts, e.g. the generated dashboard session secret. */
export const settings = sqliteTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Triage cases: one per site and client (an IP, or an IPv6 /64), from the evidence of the daily
 * reports, with the decision taken on it. JSON columns are bounded by the case store.
 */
export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    client: text('client').notNull(),
    country: text('country'),
    state: text('state', { enum: ['new', 'denied', 'allowed', 'dismissed', 'ticketed'] }).notNull(),
    /** JSON array of the evidence kinds seen so far. */
    kinds: text('kinds').notNull(),
    /** JSON object: site-local day → { kinds, reasons, requests } for the most recent days. */
    evidence: text('evidence').notNull(),
    requests: real('requests').notNull(),
    firstDay: text('first_day').notNull(),
    lastDay: text('last_day').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** JSON `{ actor, at, reason, expiresAt, day, kinds }` of the last decision; null while new. */
    decision: text('decision'),
    reopenedAt: integer('reopened_at'),
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
export const findings = sqliteTable(
  'findings',
  {
    siteId: text('site_id').notNull(),
    findingId: text('finding_id').notNull(),
    ip: text('ip').notNull(),
    type: text('type').notNull(),
    severity: real('severity').notNull(),
    region: text('region').notNull(),
    accountId: text('account_id').notNull(),
    resource: text('resource').notNull(),
    country: text('country'),
    firstSeen: integer('first_seen').notNull(),
    lastSeen: integer('last_seen').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.findingId, t.ip] }),
    index('findings_site_last_seen').on(t.siteId, t.lastSeen),
  ],
);

/** Auto-deny policies a site turned on (JSON), see `db/policies.ts`. */
export const sitePolicies = sqliteTable('site_policies', {
  siteId: text('site_id').primaryKey(),
  policies: text('policies').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Threat-intelligence lists imported for a site (`--format iplist`): IPs and CIDR blocks per source. */
export const intelEntries = sqliteTable(
  'intel_entries',
  {
    siteId: text('site_id').notNull(),
    source: text('source').notNull(),
    value: text('value').notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.source, t.value] })],
);
