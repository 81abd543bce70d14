import type { DenyEntry, DenySource, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventKind, KindEvent, Site, StoredEvent } from './store.js';

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

/** @example rows.map(toKindEvent) */
export const toKindEvent = (r: KindRow): KindEvent => ({
  ts: r.ts,
  ip: r.ip,
  country: r.country,
  sampleRate: r.sample_rate,
  action: r.action,
  rule: r.rule,
  ...(r.login_outcome ? { login: { outcome: r.login_outcome, account: r.login_account } } : {}),
});

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
