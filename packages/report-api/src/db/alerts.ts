/**
 * What the alerts store: webhooks, the report schedule and the delivery log of each site, and the
 * one query alerts make of raw events (clients refused by an automatic ban). The store is
 * `alert-store.ts`; what alerts do with them lives in `src/alerts/`.
 */

/** A chat webhook of a site. The URL is a secret (it carries the token): show it with `redactUrl`. */
export interface Webhook {
  id: string;
  siteId: string;
  url: string;
  createdAt: number;
}

/** When a site's daily report is sent. */
export interface AlertSettings {
  /** Local `HH:MM`, 24 h. Default `17:00`. */
  reportTime: string;
  /** Monday to Friday only (default) or every day. */
  businessDaysOnly: boolean;
}

/** Settings of a site that never set any. */
export const DEFAULT_ALERT_SETTINGS: Readonly<AlertSettings> = Object.freeze({
  reportTime: '17:00',
  businessDaysOnly: true,
});

/** How a delivery ended: accepted by the receiver, given up after retries, or dropped from a full queue. */
export type DeliveryStatus = 'delivered' | 'failed' | 'dropped';

/** One message to one webhook, with every attempt it took. */
export interface NewDelivery {
  siteId: string;
  webhookId: string;
  /** `AlertKind` of the alerts module (an incident kind, `test` or `daily-report`). */
  kind: string;
  /** One-line summary of the message (no secrets). */
  summary: string;
  status: DeliveryStatus;
  /** HTTP status of the last attempt; null when no response came back (timeout, refused). */
  httpStatus: number | null;
  /** What went wrong on the last failed attempt, else null. */
  error: string | null;
  attempts: number;
  /** When the delivery finished (epoch ms). */
  at: number;
  /** From first attempt to the end, ms. */
  durationMs: number;
}

/** A recorded delivery, as the dashboard and `GET /v1/alerts/deliveries` show it. */
export interface AlertDelivery extends NewDelivery {
  id: number;
}

/**
 * Webhooks, report schedule and the delivery log of each site. Part of `Store`.
 *
 * @example
 * const hook = await store.addWebhook(site.id, 'https://hooks.slack.com/services/T/B/X', Date.now());
 * const log = await store.listDeliveries(site.id, 50);
 */
export interface AlertStore {
  addWebhook(siteId: string, url: string, now: number): Promise<Webhook>;
  listWebhooks(siteId: string): Promise<Webhook[]>;
  /** True when a webhook of this site was removed. */
  removeWebhook(siteId: string, webhookId: string): Promise<boolean>;
  /** The site's settings, or the defaults when it has none. */
  getAlertSettings(siteId: string): Promise<AlertSettings>;
  setAlertSettings(siteId: string, settings: Partial<AlertSettings>): Promise<AlertSettings>;
  recordDelivery(delivery: NewDelivery): Promise<void>;
  /** Newest first; `limit` is capped at 1,000. */
  listDeliveries(siteId: string, limit: number): Promise<AlertDelivery[]>;
  /**
   * Clients refused by an automatic ban in `[from, to)`, read from raw events: rule `ban` (the
   * middleware's temporary ban) or `deny-list:auto` (an automatic deny-list entry, e.g. the edge's).
   * Earliest first, at most `limit`.
   */
  autoBannedClients(siteId: string, from: number, to: number, limit: number): Promise<AutoBannedClient[]>;
}

/** One client refused by an automatic ban, see `AlertStore.autoBannedClients`. */
export interface AutoBannedClient {
  ip: string;
  /** The first refused request in the range (epoch ms). */
  firstSeen: number;
  /** Refused requests in the range, sample-weighted. */
  requests: number;
  rule: string;
}

/** Event rules that mean "refused by an automatic ban". */
export const AUTO_BAN_RULES = ['ban', 'deny-list:auto'] as const;

// Rows as both dialects return them, and the objects `AlertStore` hands out.

export interface WebhookRow {
  id: string;
  site_id: string;
  url: string;
  created_at: number;
}

/** @example rows.map(toWebhook) */
export const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  siteId: row.site_id,
  url: row.url,
  createdAt: row.created_at,
});

export interface DeliveryRow {
  id: number;
  site_id: string;
  webhook_id: string;
  kind: string;
  summary: string;
  status: DeliveryStatus;
  http_status: number | null;
  error: string | null;
  attempts: number;
  at: number;
  duration_ms: number;
}

/** @example rows.map(toDelivery) */
export const toDelivery = (row: DeliveryRow): AlertDelivery => ({
  id: row.id,
  siteId: row.site_id,
  webhookId: row.webhook_id,
  kind: row.kind,
  summary: row.summary,
  status: row.status,
  httpStatus: row.http_status,
  error: row.error,
  attempts: row.attempts,
  at: row.at,
  durationMs: row.duration_ms,
});
