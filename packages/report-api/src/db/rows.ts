import type { DenyEntry, DenySource, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventKind, KindEvent, RateLimitedClient, Site, StoredEvent } from './store.js';

// Rows as both SQL stores return them (snake_case columns, epoch ms as numbers) and the objects
// the `Store` interface hands out. One mapping per table, whatever keeps the data.

export interface SiteRow {
  id: string;
  name: string;
  time_zone: string;
  home_country: string | null;
  created_at: number;
}

/** @example toSite(db.prepare('SELECT * FROM sites WHERE id = ?').get(id)) */
export const toSite = (row: SiteRow): Site => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  homeCountry: row.home_country,
  createdAt: row.created_at,
});

export interface DenyRow {
  id: string;
  value: string;
  reason: string;
  source: DenySource;
  created_at: number;
  expires_at: number | null;
}

/** @example toDenyEntry(row) // { id, value, reason, source, createdAt, expiresAt } */
export const toDenyEntry = (row: DenyRow): DenyEntry => ({
  id: row.id,
  value: row.value,
  reason: row.reason,
  source: row.source,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export interface EventRow {
  id: number;
  site_id: string;
  ts: number;
  ip: string;
  country: string | null;
  method: string;
  host: string;
  path: string;
  status: number;
  latency_ms: number;
  ua: string;
  action: WatchpostEvent['action'];
  rule: string | null;
  bot_category: WatchpostEvent['botCategory'];
  sample_rate: number;
  asn: number | null;
  login_outcome: 'success' | 'failed' | null;
  login_account: string | null;
  bot_name: string | null;
}

/**
 * The filter of each event kind, in both dialects: each is the exact `WHERE` of the kind's partial
 * index, which holds `KIND_COLUMNS`, so a day's login attempts or rate-rule events are read from it alone.
 */
export const KIND_FILTERS = {
  login: ' AND login_outcome IS NOT NULL',
  rate: " AND rule LIKE 'rate:%'",
} as const satisfies Record<EventKind, string>;

/** The columns of a `KindEvent`, as both stores select them. */
export const KIND_COLUMNS = 'ts, ip, country, sample_rate, action, rule, login_outcome, login_account';

export type KindRow = Pick<
  EventRow,
  'ts' | 'ip' | 'country' | 'sample_rate' | 'action' | 'rule' | 'login_outcome' | 'login_account'
>;

/** A `KindRow` as the array of its `KIND_COLUMNS` (SQLite reads them so: cheaper than objects). */
export type KindTuple = [
  KindRow['ts'],
  KindRow['ip'],
  KindRow['country'],
  KindRow['sample_rate'],
  KindRow['action'],
  KindRow['rule'],
  KindRow['login_outcome'],
  KindRow['login_account'],
];

/** A `KindEvent` from its columns, in `KIND_COLUMNS` order: `login` only for a login attempt. */
export function kindEvent([ts, ip, country, sampleRate, action, rule, outcome, account]: KindTuple): KindEvent {
  const event: KindEvent = { ts, ip, country, sampleRate, action, rule };
  if (outcome) event.login = { outcome, account };
  return event;
}

/** @example rows.map(toKindEvent) */
export const toKindEvent = (r: KindRow): KindEvent =>
  kindEvent([r.ts, r.ip, r.country, r.sample_rate, r.action, r.rule, r.login_outcome, r.login_account]);

/** @example rows.map(toEvent) */
export const toEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  siteId: r.site_id,
  ts: r.ts,
  ip: r.ip,
  country: r.country,
  method: r.method,
  host: r.host,
  path: r.path,
  status: r.status,
  latencyMs: r.latency_ms,
  ua: r.ua,
  action: r.action,
  rule: r.rule,
  botCategory: r.bot_category,
  sampleRate: r.sample_rate,
  asn: r.asn,
  ...(r.login_outcome ? { login: { outcome: r.login_outcome, account: r.login_account } } : {}),
  ...(r.bot_name ? { botName: r.bot_name } : {}),
});

/**
 * The SQL of `rateLimitedClients`, both dialects (`json` is `json_group_array` on SQLite, `json_agg`
 * on PostgreSQL; `from` names the events table, with SQLite's `INDEXED BY`; `collate` orders IPs
 * byte-wise on PostgreSQL). Placeholders: site id, from, to, then the limit (clients only).
 */
export function rateLimitedSql({
  from,
  json,
  collate,
  n,
}: {
  from: string;
  json: string;
  collate: string;
  n: string[];
}) {
  const where = `FROM ${from} WHERE site_id = ${n[0]} AND ts >= ${n[1]} AND ts < ${n[2]}${KIND_FILTERS.rate}`;
  const refused = "CASE WHEN action = 'block' THEN 1.0 / sample_rate ELSE 0 END";
  const counted = "CASE WHEN action = 'count' THEN 1.0 / sample_rate ELSE 0 END";
  return {
    clients:
      `SELECT ip, min(country) AS country, ${json}(DISTINCT substr(rule, 6)) AS rules, ` +
      `sum(${refused}) AS refused, sum(${counted}) AS counted, ` +
      `min(CASE WHEN action = 'block' THEN ts END) AS first_refused, ` +
      `max(CASE WHEN action = 'block' THEN ts END) AS last_refused ${where} ` +
      `GROUP BY ip ORDER BY refused DESC, counted DESC, ip${collate} LIMIT ${n[3]}`,
    totals: `SELECT count(DISTINCT ip) AS clients, sum(${refused}) AS refused, sum(${counted}) AS counted ${where}`,
  };
}

/** Rule names listed per rate-limited client (the first, in order). */
export const MAX_RULES_PER_CLIENT = 20;

export interface RateClientRow {
  ip: string;
  country: string | null;
  rules: string | string[];
  refused: number;
  counted: number;
  first_refused: number | string | null;
  last_refused: number | string | null;
}

export const toRateLimitedClient = (row: RateClientRow): RateLimitedClient => ({
  ip: row.ip,
  country: row.country,
  // Rule names come from events: a sender could make up thousands for one client.
  rules: (typeof row.rules === 'string' ? (JSON.parse(row.rules) as string[]) : row.rules)
    .sort()
    .slice(0, MAX_RULES_PER_CLIENT),
  refused: Number(row.refused),
  counted: Number(row.counted),
  firstRefused: row.first_refused === null ? null : Number(row.first_refused),
  lastRefused: row.last_refused === null ? null : Number(row.last_refused),
});
