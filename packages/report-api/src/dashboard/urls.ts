/**
 * Links between dashboard pages. Every value taken from traffic (IPs, paths, countries) goes
 * through encodeURIComponent (uriComponent) into a query string, so no attacker-chosen text can become a
 * scheme, a host or a path segment of a link.
 */
import { UNKNOWN_COUNTRY } from '../queries/params.js';

/**
 * Mount point of the dashboard.
 *
 * @example
 * `${BASE}/sign-in`; // '/dashboard/sign-in'
 */
export const BASE = '/dashboard';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `encodeURIComponent` that never throws: it does on a lone surrogate (a page would answer 500),
 * so that code unit is sent as U+FFFD.
 *
 * @example
 * uriComponent('/a b\uD800'); // '%2Fa%20b%EF%BF%BD'
 */
export function uriComponent(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));
}

function query(params: Record<string, string | null | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    parts.push(`${uriComponent(key)}=${uriComponent(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function sitePath(siteId: string): string {
  return `${BASE}/sites/${uriComponent(siteId)}`;
}

/**
 * The sign-in page; after signing in, the browser goes on to `next` (a dashboard path) if given.
 *
 * @example
 * signInUrl('/dashboard/sites/s_1?date=2026-11-26');
 * // '/dashboard/sign-in?next=%2Fdashboard%2Fsites%2Fs_1%3Fdate%3D2026-11-26'
 */
export function signInUrl(next?: string | null): string {
  return `${BASE}/sign-in${query({ next })}`;
}

const NEXT_ORIGIN = 'http://next.invalid';
// eslint-disable-next-line no-control-regex -- control bytes in a link are refused, never followed
const NOT_IN_NEXT = /[\\\u0000-\u001f\u007f]/;

/**
 * `value` as a path and query of this dashboard to go to after signing in, or null: a sign-in link
 * carries it, so it is the sender's text. Only `/dashboard/…` paths other than the sign-in page
 * itself; never another host (`//host`, `/\host`), a scheme, a path that `..` or `%2e%2e` takes out of
 * the dashboard, control bytes, or more than 2,048 characters. The fragment is dropped.
 *
 * @example
 * safeNext('/dashboard/sites/s_1?date=2026-11-26'); // '/dashboard/sites/s_1?date=2026-11-26'
 * safeNext('//evil.example/dashboard/');            // null
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048 || !value.startsWith(`${BASE}/`)) return null;
  if (NOT_IN_NEXT.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, NEXT_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== NEXT_ORIGIN || !url.pathname.startsWith(`${BASE}/`)) return null;
  if (url.pathname === `${BASE}/sign-in` || url.pathname === `${BASE}/sign-out`) return null;
  return url.pathname + url.search;
}

/**
 * The daily report page of a site.
 *
 * @example
 * reportUrl('s_1', '2026-11-26'); // '/dashboard/sites/s_1?date=2026-11-26'
 */
export function reportUrl(siteId: string, date?: string): string {
  return sitePath(siteId) + query({ date });
}

/**
 * The drill-down page of one IP.
 *
 * @example
 * ipUrl('s_1', '2001:db8::1', '2026-11-26'); // '/dashboard/sites/s_1/ip?ip=2001%3Adb8%3A%3A1&date=2026-11-26'
 */
export function ipUrl(siteId: string, ip: string, date: string): string {
  return `${sitePath(siteId)}/ip${query({ ip, date })}`;
}

/** Query value standing for "country unknown" (a real code is two capital letters). */
export { UNKNOWN_COUNTRY };

/**
 * The drill-down page of one country; null is the "unknown country" bucket.
 *
 * @example
 * countryUrl('s_1', 'JP', '2026-11-26'); // '/dashboard/sites/s_1/country?code=JP&date=2026-11-26'
 */
export function countryUrl(siteId: string, country: string | null, date: string): string {
  return `${sitePath(siteId)}/country${query({ code: country ?? UNKNOWN_COUNTRY, date })}`;
}

/**
 * The drill-down page of one request path.
 *
 * @example
 * pathUrl('s_1', '/login', '2026-11-26'); // '/dashboard/sites/s_1/path?path=%2Flogin&date=2026-11-26'
 */
export function pathUrl(siteId: string, path: string, date: string): string {
  return `${sitePath(siteId)}/path${query({ path, date })}`;
}

/**
 * The drill-down page of one bot, by the name its user agents give.
 *
 * @example
 * botUrl('s_1', 'GPTBot', '2026-11-26'); // '/dashboard/sites/s_1/bot?name=GPTBot&date=2026-11-26'
 */
export function botUrl(siteId: string, name: string, date: string): string {
  return `${sitePath(siteId)}/bot${query({ name, date })}`;
}

/**
 * The login attempts page of a day.
 *
 * @example
 * loginsUrl('s_1', '2026-11-26'); // '/dashboard/sites/s_1/logins?date=2026-11-26'
 */
export function loginsUrl(siteId: string, date: string): string {
  return `${sitePath(siteId)}/logins${query({ date })}`;
}

/**
 * The rate-limited clients page of a day.
 *
 * @example
 * rateLimitsUrl('s_1', '2026-11-26'); // '/dashboard/sites/s_1/rate-limits?date=2026-11-26'
 */
export function rateLimitsUrl(siteId: string, date: string): string {
  return `${sitePath(siteId)}/rate-limits${query({ date })}`;
}

/**
 * Where the "add to deny list" form posts.
 *
 * @example
 * denyUrl('s_1'); // '/dashboard/sites/s_1/deny'
 */
export function denyUrl(siteId: string): string {
  return `${sitePath(siteId)}/deny`;
}

/**
 * The triage page of a site, optionally filtered.
 *
 * @example
 * triageUrl('s_1', { kind: 'probe' }); // '/dashboard/sites/s_1/triage?kind=probe'
 */
export function triageUrl(
  siteId: string,
  filter: { state?: string; kind?: string; country?: string; done?: string } = {},
): string {
  return `${sitePath(siteId)}/triage${query(filter)}`;
}

/**
 * The audit log page of a site.
 *
 * @example
 * auditUrl('s_1'); // '/dashboard/sites/s_1/audit'
 */
export function auditUrl(siteId: string, cursor?: string): string {
  return `${sitePath(siteId)}/audit${query({ cursor })}`;
}
