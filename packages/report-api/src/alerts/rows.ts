import type { AlertKind } from './incident.js';
import type { AlertDelivery, DeliveryStatus, Webhook } from './store.js';

// Alert-store rows as both SQL stores return them, and the objects `AlertStore` hands out.

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
  kind: AlertKind;
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
