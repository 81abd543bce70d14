import type pg from 'pg';
import { changes, rows, statement } from '../db/postgres/pool.js';
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

const insertHook = statement('INSERT INTO webhooks (id, site_id, url, created_at) VALUES ($1, $2, $3, $4)');
const selectHooks = statement(
  'SELECT id, site_id, url, created_at FROM webhooks WHERE site_id = $1 ORDER BY created_at, id COLLATE "C"',
);
const deleteHook = statement('DELETE FROM webhooks WHERE site_id = $1 AND id = $2');
const selectSettings = statement('SELECT report_time, business_days_only FROM alert_settings WHERE site_id = $1');
const upsertSettings = statement(
  `INSERT INTO alert_settings (site_id, report_time, business_days_only) VALUES ($1, $2, $3)
   ON CONFLICT (site_id) DO UPDATE SET report_time = excluded.report_time, business_days_only = ` +
    `excluded.business_days_only`,
);
const insertDelivery = statement(
  `INSERT INTO alert_deliveries (site_id, webhook_id, kind, summary, status, http_status, error, attempts, at, ` +
    `duration_ms)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
);
const selectDeliveries = statement(
  `SELECT id, site_id, webhook_id, kind, summary, status, http_status, error, attempts, at, duration_ms
   FROM alert_deliveries WHERE site_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
);
// The (site_id, ts) index bounds this to the few seconds since the last tick.
const selectBanned = statement(
  `SELECT ip, min(ts) AS "firstSeen", sum(1 / sample_rate) AS requests, min(rule COLLATE "C") AS rule FROM events
   WHERE site_id = $1 AND ts >= $2 AND ts < $3 AND rule = ANY($4::text[]) GROUP BY ip ORDER BY "firstSeen", ip ` +
    `COLLATE "C" LIMIT $5`,
);

/**
 * Webhooks, report settings and the delivery log on PostgreSQL (tables `webhooks`,
 * `alert_settings`, `alert_deliveries` of src/db/postgres/schema.ts).
 *
 * @example
 * const alerts = postgresAlertStore(pool);
 * await alerts.addWebhook('site_1', 'https://hooks.slack.com/services/T/B/X', Date.now());
 */
export function postgresAlertStore(pool: pg.Pool): AlertStore {
  const readSettings = async (siteId: string): Promise<AlertSettings> => {
    const [row] = await rows<{ report_time: string; business_days_only: boolean }>(pool, selectSettings, [siteId]);
    return row
      ? { reportTime: row.report_time, businessDaysOnly: row.business_days_only }
      : { ...DEFAULT_ALERT_SETTINGS };
  };
  const cap = (limit: number) => Math.max(1, Math.min(1000, Math.floor(limit)));

  return {
    async addWebhook(siteId, url, now) {
      const hook: Webhook = { id: newId('hook'), siteId, url, createdAt: now };
      await changes(pool, insertHook, [hook.id, siteId, url, now]);
      return hook;
    },
    async listWebhooks(siteId) {
      return (await rows<WebhookRow>(pool, selectHooks, [siteId])).map(toWebhook);
    },
    async removeWebhook(siteId, webhookId) {
      return (await changes(pool, deleteHook, [siteId, webhookId])) > 0;
    },
    getAlertSettings: readSettings,
    async setAlertSettings(siteId, settings) {
      const next = { ...(await readSettings(siteId)), ...settings };
      if (parseReportTime(next.reportTime) === null)
        throw new TypeError(`reportTime must be HH:MM (24 h), got ${JSON.stringify(next.reportTime)}`);
      await changes(pool, upsertSettings, [siteId, next.reportTime, next.businessDaysOnly]);
      return next;
    },
    async recordDelivery(d) {
      await changes(pool, insertDelivery, [
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
      ]);
    },
    async listDeliveries(siteId, limit) {
      return (await rows<DeliveryRow>(pool, selectDeliveries, [siteId, cap(limit)])).map(toDelivery);
    },
    async autoBannedClients(siteId, from, to, limit) {
      return rows<AutoBannedClient>(pool, selectBanned, [siteId, from, to, [...AUTO_BAN_RULES], cap(limit)]);
    },
  };
}
