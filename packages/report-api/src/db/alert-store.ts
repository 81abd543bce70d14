/**
 * The alert store written once over the `Executor`, for both dialects.
 */
import { parseReportTime } from '../time/days.js';
import {
  AUTO_BAN_RULES,
  DEFAULT_ALERT_SETTINGS,
  toDelivery,
  toWebhook,
  type AlertSettings,
  type AlertStore,
  type AutoBannedClient,
  type DeliveryRow,
  type Webhook,
  type WebhookRow,
} from './alerts.js';
import type { Executor } from './executor.js';
import { newId } from './ids.js';

/** Most rows `listDeliveries` and `autoBannedClients` return. */
const MAX_ROWS = 1000;
const cap = (limit: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(limit)));

/**
 * The `AlertStore` of a database (tables `webhooks`, `alert_settings`, `alert_deliveries`).
 *
 * @example
 * const alerts = alertStoreOn(sqliteExecutor(db));
 * await alerts.addWebhook('site_1', 'https://hooks.slack.com/services/T/B/X', Date.now());
 */
export function alertStoreOn(db: Executor): AlertStore {
  const readSettings = async (siteId: string): Promise<AlertSettings> => {
    const [row] = await db.all<{ report_time: string; business_days_only: boolean | number }>(
      'SELECT report_time, business_days_only FROM alert_settings WHERE site_id = $1',
      [siteId],
    );
    return row
      ? { reportTime: row.report_time, businessDaysOnly: Boolean(row.business_days_only) }
      : { ...DEFAULT_ALERT_SETTINGS };
  };
  return {
    async addWebhook(siteId, url, now) {
      const hook: Webhook = { id: newId('hook'), siteId, url, createdAt: now };
      await db.run('INSERT INTO webhooks (id, site_id, url, created_at) VALUES ($1, $2, $3, $4)', [
        hook.id,
        siteId,
        url,
        now,
      ]);
      return hook;
    },
    async listWebhooks(siteId) {
      const found = await db.all<WebhookRow>(
        `SELECT id, site_id, url, created_at FROM webhooks WHERE site_id = $1 ORDER BY created_at, id${db.binary}`,
        [siteId],
      );
      return found.map(toWebhook);
    },
    async removeWebhook(siteId, webhookId) {
      return (await db.run('DELETE FROM webhooks WHERE site_id = $1 AND id = $2', [siteId, webhookId])) > 0;
    },
    getAlertSettings: readSettings,
    async setAlertSettings(siteId, settings) {
      const next = { ...(await readSettings(siteId)), ...settings };
      if (parseReportTime(next.reportTime) === null)
        throw new TypeError(`reportTime must be HH:MM (24 h), got ${JSON.stringify(next.reportTime)}`);
      await db.run(
        `INSERT INTO alert_settings (site_id, report_time, business_days_only) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET report_time = excluded.report_time,
         business_days_only = excluded.business_days_only`,
        [siteId, next.reportTime, next.businessDaysOnly],
      );
      return next;
    },
    async recordDelivery(d) {
      await db.run(
        `INSERT INTO alert_deliveries (site_id, webhook_id, kind, summary, status, http_status, error, attempts, at,
         duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          d.siteId,
          d.webhookId,
          d.kind,
          d.summary.slice(0, 500),
          d.status,
          d.httpStatus,
          d.error?.slice(0, 500) ?? null,
          d.attempts,
          d.at,
          d.durationMs,
        ],
      );
    },
    async listDeliveries(siteId, limit) {
      const found = await db.all<DeliveryRow>(
        `SELECT id, site_id, webhook_id, kind, summary, status, http_status, error, attempts, at, duration_ms
         FROM alert_deliveries WHERE site_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
        [siteId, cap(limit)],
      );
      return found.map(toDelivery);
    },
    // The (site_id, ts) index bounds this to the few seconds since the last tick.
    autoBannedClients(siteId, from, to, limit) {
      return db.all<AutoBannedClient>(
        `SELECT ip, min(ts) AS "firstSeen", sum(1.0 / sample_rate) AS requests, min(rule${db.binary}) AS rule
         FROM events WHERE site_id = $1 AND ts >= $2 AND ts < $3 AND rule IN ($4, $5)
         GROUP BY ip ORDER BY "firstSeen", ip${db.binary} LIMIT $6`,
        [siteId, from, to, AUTO_BAN_RULES[0], AUTO_BAN_RULES[1], cap(limit)],
      );
    },
  };
}
