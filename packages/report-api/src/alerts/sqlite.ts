import type Database from 'better-sqlite3';
import { newId } from '../db/ids.js';
import { parseReportTime } from './schedule.js';
import { toDelivery, toWebhook, type DeliveryRow, type WebhookRow } from './rows.js';
import {
  type AlertSettings,
  type AlertStore,
  AUTO_BAN_RULES,
  type AutoBannedClient,
  DEFAULT_ALERT_SETTINGS,
  type Webhook,
} from './store.js';

/**
 * Webhooks, report settings and the delivery log on SQLite (tables `webhooks`, `alert_settings`,
 * `alert_deliveries` of the drizzle schema).
 *
 * @example
 * const alerts = sqliteAlertStore(db);
 * await alerts.addWebhook('site_1', 'https://hooks.slack.com/services/T/B/X', Date.now());
 */
export function sqliteAlertStore(db: Database.Database): AlertStore {
  const insertHook = db.prepare('INSERT INTO webhooks (id, site_id, url, created_at) VALUES (?, ?, ?, ?)');
  const selectHooks = db.prepare<[string], WebhookRow>(
    'SELECT * FROM webhooks WHERE site_id = ? ORDER BY created_at, id',
  );
  const deleteHook = db.prepare('DELETE FROM webhooks WHERE site_id = ? AND id = ?');
  const selectSettings = db.prepare<[string], { report_time: string; business_days_only: number }>(
    'SELECT report_time, business_days_only FROM alert_settings WHERE site_id = ?',
  );
  const upsertSettings = db.prepare(
    `INSERT INTO alert_settings (site_id, report_time, business_days_only) VALUES (?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET report_time = excluded.report_time, business_days_only = ` +
      `excluded.business_days_only`,
  );
  const insertDelivery = db.prepare(
    `INSERT INTO alert_deliveries (site_id, webhook_id, kind, summary, status, http_status, error, attempts, at, ` +
      `duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectDeliveries = db.prepare<[string, number], DeliveryRow>(
    'SELECT * FROM alert_deliveries WHERE site_id = ? ORDER BY at DESC, id DESC LIMIT ?',
  );

  // The (site_id, ts) index bounds this to the few seconds since the last tick.
  const selectBanned = db.prepare<[string, number, number, string, string, number], AutoBannedClient>(
    `SELECT ip, MIN(ts) AS firstSeen, SUM(1.0 / sample_rate) AS requests, MIN(rule) AS rule FROM events
     WHERE site_id = ? AND ts >= ? AND ts < ? AND rule IN (?, ?) GROUP BY ip ORDER BY firstSeen LIMIT ?`,
  );

  const readSettings = (siteId: string): AlertSettings => {
    const row = selectSettings.get(siteId);
    return row
      ? { reportTime: row.report_time, businessDaysOnly: row.business_days_only === 1 }
      : { ...DEFAULT_ALERT_SETTINGS };
  };

  return {
    async addWebhook(siteId, url, now) {
      const hook: Webhook = { id: newId('hook'), siteId, url, createdAt: now };
      insertHook.run(hook.id, siteId, url, now);
      return hook;
    },
    async listWebhooks(siteId) {
      return selectHooks.all(siteId).map(toWebhook);
    },
    async removeWebhook(siteId, webhookId) {
      return deleteHook.run(siteId, webhookId).changes > 0;
    },
    async getAlertSettings(siteId) {
      return readSettings(siteId);
    },
    async setAlertSettings(siteId, settings) {
      const next = { ...readSettings(siteId), ...settings };
      if (parseReportTime(next.reportTime) === null)
        throw new TypeError(`reportTime must be HH:MM (24 h), got ${JSON.stringify(next.reportTime)}`);
      upsertSettings.run(siteId, next.reportTime, next.businessDaysOnly ? 1 : 0);
      return next;
    },
    async recordDelivery(d) {
      insertDelivery.run(
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
      );
    },
    async listDeliveries(siteId, limit) {
      return selectDeliveries.all(siteId, Math.max(1, Math.min(1000, Math.floor(limit)))).map(toDelivery);
    },
    async autoBannedClients(siteId, from, to, limit) {
      return selectBanned.all(
        siteId,
        from,
        to,
        AUTO_BAN_RULES[0],
        AUTO_BAN_RULES[1],
        Math.max(1, Math.min(1000, Math.floor(limit))),
      );
    },
  };
}
