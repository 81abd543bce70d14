import type { AlertKind } from './incident.js';

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
  kind: AlertKind;
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

/**
 * Checks a webhook URL: absolute http(s), no credentials in it. Returns an error message or null.
 *
 * @example
 * webhookUrlProblem('ftp://x'); // 'webhook URL must be http:// or https://, got ftp:'
 */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `webhook URL is not a valid absolute URL: ${JSON.stringify(url.slice(0, 200))}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `webhook URL must be http:// or https://, got ${parsed.protocol}`;
  }
  if (parsed.username || parsed.password) return 'webhook URL must not contain a user name or password';
  if (url.length > 2048) return 'webhook URL is longer than 2048 characters';
  return null;
}

/**
 * A webhook URL safe to display: scheme and host, then only the last four characters of the rest
 * (webhook paths are bearer secrets).
 *
 * @example
 * redactUrl('https://hooks.slack.com/services/T0/B0/abcdefgh'); // 'https://hooks.slack.com/…efgh'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    return rest.length <= 1 ? parsed.origin : `${parsed.origin}/…${rest.slice(-4)}`;
  } catch {
    return '(invalid URL)';
  }
}
