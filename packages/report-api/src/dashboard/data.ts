import type { Store } from '../db/store.js';
import { createDrillDowns } from '../queries/drilldown.js';
import { siteRef as site } from '../queries/types.js';
import { buildDailyReport, type DailyReportOptions } from '../reports/build.js';
import { localDateAt } from '../time/days.js';
import type { DashboardData } from './types.js';
import { changeByDashboard } from '../audit/actor.js';
import { recordChange } from '../audit/record.js';

/**
 * `DashboardData` on top of the report API's `Store`: daily reports from `buildDailyReport` and
 * drill-downs from `createDrillDowns` (what the JSON API answers from too), deny entries from its deny list.
 *
 * @example
 * const data = storeDashboardData(store, { now: Date.now });
 * const report = await data.dailyReport(site, '2026-11-26');
 */
export function storeDashboardData(
  store: Store,
  {
    now = Date.now,
    report = {},
    onDenyListChange,
    logError = (error) => console.error('watchpost dashboard:', error),
  }: {
    now?: () => number;
    report?: DailyReportOptions;
    onDenyListChange?: (siteId: string) => void;
    /** Told when the audit record of a dashboard change fails (the change stands). */
    logError?: (error: unknown) => void;
  } = {},
): DashboardData {
  const drillDowns = createDrillDowns(store, { now });
  return {
    async verifyAdminKey(adminKey) {
      const resolved = await store.resolveKey(adminKey);
      return resolved && resolved.role === 'admin' ? { site: site(resolved.site), keyId: resolved.keyId } : null;
    },
    async holdsAdminKey(siteId, keyId) {
      return (await store.listKeys(siteId)).some((key) => key.id === keyId && key.role === 'admin');
    },
    async getSite(siteId) {
      const s = await store.getSite(siteId);
      return s ? site(s) : null;
    },
    today(s) {
      return localDateAt(now(), s.timeZone);
    },
    async dailyReport(s, date) {
      const full = await store.getSite(s.id);
      if (!full) throw new Error(`unknown site ${s.id}`);
      return buildDailyReport(store, full, date, { now, ...report });
    },
    ipDetail: (s, ip, date) => drillDowns.ipDetail(s, ip, date),
    countryDetail: (s, country, date) => drillDowns.countryDetail(s, country, date),
    pathDetail: (s, path, date) => drillDowns.pathDetail(s, path, date),
    botDetail: (s, name, date) => drillDowns.botDetail(s, name, date),
    async denyIp(s, ip, reason, actor = 'dashboard') {
      const entries = await store.listDenyEntries(s.id, now());
      const existing = entries.find((e) => e.value === ip);
      if (existing) return existing;
      const entry = await store.addDenyEntry(s.id, { value: ip, reason, source: 'manual', expiresAt: null }, now());
      onDenyListChange?.(s.id);
      const by = changeByDashboard(actor, null, reason);
      await recordChange({ store, now, logError }, s.id, by, 'denylist.add', entry.id, { before: null, after: entry });
      return entry;
    },
  };
}
