import type { BotCategory, DenyEntry } from '@watchpost/middleware/protocol';
import type { DailyReport, TimelinePoint } from '../reports/types.js';

/**
 * A site as the dashboard shows it.
 *
 * @example
 * const site: DashboardSite = { id: 's_1', name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' };
 */
export interface DashboardSite {
  id: string;
  name: string;
  timeZone: string;
  homeCountry: string | null;
}

/**
 * Counts of one slice of traffic (an IP, a country, a path) over one local day.
 *
 * @example
 * const totals: SliceTotals = { requests: 135, blocked: 15, counted: 0, errors4xx: 135, errors5xx: 0 };
 */
export interface SliceTotals {
  requests: number;
  blocked: number;
  /** Would-be blocks of rules in `count` mode. */
  counted: number;
  errors4xx: number;
  errors5xx: number;
}

/**
 * Fields every drill-down page shares: the day, its totals, the previous day and an hourly timeline.
 *
 * @example
 * detail.previousDay?.requests; // null when the slice had no traffic the day before
 */
export interface SliceDetail {
  site: DashboardSite;
  /** Local date, YYYY-MM-DD. */
  date: string;
  range: { from: number; to: number };
  totals: SliceTotals;
  /** The same slice on the previous local day; null when that day had no traffic from it. */
  previousDay: SliceTotals | null;
  timeline: TimelinePoint[];
}

/**
 * A row of a "top N" table inside a drill-down page.
 *
 * @example
 * const row: CountRow = { requests: 60, blocked: 0 };
 */
export interface CountRow {
  requests: number;
  blocked: number;
}

/**
 * Everything the dashboard shows about one client IP on one local day.
 *
 * @example
 * const detail: IpDetail = await data.ipDetail('s_1', '203.0.113.7', '2026-11-26');
 * detail.denied?.reason; // 'burst of 240 4xx in 30 s'
 */
export interface IpDetail extends SliceDetail {
  ip: string;
  countries: Array<{ country: string | null } & CountRow>;
  paths: Array<{ path: string; errors4xx: number; errors5xx: number } & CountRow>;
  userAgents: Array<{ ua: string; botCategory: BotCategory | null } & CountRow>;
  statuses: Array<{ status: number; requests: number }>;
  /** What the engine decided: action and rule, with counts. */
  decisions: Array<{ action: 'allow' | 'block' | 'count'; rule: string | null; requests: number }>;
  /** The served deny-list entry covering this IP (exact IP or a CIDR containing it), or null. */
  denied: DenyEntry | null;
}

/**
 * One country (ISO alpha-2, or null for "unknown") on one local day.
 *
 * @example
 * const detail: CountryDetail = await data.countryDetail('s_1', 'JP', '2026-11-26');
 */
export interface CountryDetail extends SliceDetail {
  country: string | null;
  /** Whether this is the site's home country. */
  domestic: boolean;
  ips: Array<{ ip: string; errors4xx: number; errors5xx: number } & CountRow>;
  paths: Array<{ path: string } & CountRow>;
  bots: Array<{ category: BotCategory } & CountRow>;
}

/**
 * One request path on one local day.
 *
 * @example
 * const detail: PathDetail = await data.pathDetail('s_1', '/login', '2026-11-26');
 */
export interface PathDetail extends SliceDetail {
  path: string;
  ips: Array<{ ip: string; country: string | null; errors4xx: number; errors5xx: number } & CountRow>;
  statuses: Array<{ status: number; requests: number }>;
  userAgents: Array<{ ua: string; botCategory: BotCategory | null } & CountRow>;
  countries: Array<{ country: string | null } & CountRow>;
}

/**
 * What the dashboard needs from storage. The SQLite implementation is `sqliteDashboardData`;
 * any store that can answer these can back the dashboard.
 *
 * @example
 * const routes = dashboardRoutes({ data: sqliteDashboardData(store) });
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
  /**
   * Adds `value` (an IP) to the site's served deny list, recorded in the audit log with `actor` (the
   * dashboard session); returns the entry (an existing one, unchanged and not recorded, if already denied).
   */
  denyIp(site: DashboardSite, ip: string, reason: string, actor?: string): Promise<DenyEntry>;
}
