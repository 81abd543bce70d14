import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { DailyReport } from '../reports/types.js';
import type { BotDetail, CountryDetail, IpDetail, PathDetail, SiteRef } from '../queries/types.js';

export type {
  BotDetail,
  CountRow,
  CountryDetail,
  IpDetail,
  PathDetail,
  SiteRef,
  SliceDetail,
  SliceTotals,
} from '../queries/types.js';

/** A site as the dashboard shows it (the same as the JSON API's). */
export type DashboardSite = SiteRef;

/**
 * What the dashboard's pages read and change. `storeDashboardData` implements it over the report
 * API's store, with the report from `reports/build.ts` and the drill-downs from `queries/`, the same
 * modules the JSON API answers from.
 *
 * @example
 * const routes = dashboardRoutes(deps, { data: storeDashboardData(store) });
 */
export interface DashboardData {
  /** The site whose admin key this is, and the key's id, or null. Must compare in constant time. */
  verifyAdminKey(adminKey: string): Promise<{ site: DashboardSite; keyId: string } | null>;
  /** Whether the site still holds this admin key (a revoked key ends the sessions signed in with it). */
  holdsAdminKey(siteId: string, keyId: string): Promise<boolean>;
  getSite(siteId: string): Promise<DashboardSite | null>;
  /** Today's local date (YYYY-MM-DD) in the site's time zone. */
  today(site: DashboardSite): string;
  dailyReport(site: DashboardSite, date: string): Promise<DailyReport>;
  ipDetail(site: DashboardSite, ip: string, date: string): Promise<IpDetail>;
  countryDetail(site: DashboardSite, country: string | null, date: string): Promise<CountryDetail>;
  pathDetail(site: DashboardSite, path: string, date: string): Promise<PathDetail>;
  botDetail(site: DashboardSite, name: string, date: string): Promise<BotDetail>;
  /**
   * Adds `value` (an IP) to the site's served deny list, recorded in the audit log with `actor` (the
   * dashboard session); returns the entry (an existing one, unchanged and not recorded, if already denied).
   */
  denyIp(site: DashboardSite, ip: string, reason: string, actor?: string): Promise<DenyEntry>;
}
