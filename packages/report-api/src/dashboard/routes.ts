import { isIP } from 'node:net';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { ResolvedDeps } from '../http/env.js';
import { parseLocalDate } from '../time/days.js';
import { nextReportTime } from '../alerts/schedule.js';
import { reasonProblem } from '../denylist/reason.js';
import { checkBotName, checkCountry, checkIp, checkPath } from '../queries/params.js';
import { storeDashboardData } from './data.js';
import { registerSignIn } from './sign-in-routes.js';
import { registerTriagePages } from './triage-routes.js';
import type { Viewer } from './layout.js';
import { renderAlertsPage } from './pages/alerts.js';
import { renderCountryPage } from './pages/country.js';
import { renderIpPage } from './pages/ip.js';
import { renderPathPage } from './pages/path.js';
import { renderBotPage } from './pages/bot.js';
import { renderLoginsPage, renderRateLimitsPage } from './pages/logins.js';
import { renderReportPage } from './pages/report.js';
import { renderErrorPage, renderSitesPage } from './pages/sites.js';
import { sameOriginPosts, securityHeaders } from './security.js';
import { settingsRevocations } from './revocations.js';
import { createSessions, DEFAULT_SESSION_TTL_MS, type Session } from './session.js';
import { STYLESHEET, STYLESHEET_HASH } from './style.js';
import type { DashboardData, DashboardSite } from './types.js';
import { BASE, ipUrl, reportUrl } from './urls.js';

/**
 * Options of `dashboardRoutes`; every one has a default.
 *
 * @example
 * createApp({ store, dashboard: { sessionSecret: Buffer.from(process.env.WATCHPOST_SESSION_SECRET!, 'base64'),
 * publicOrigin: 'https://watchpost.example' } });
 */
export interface DashboardOptions {
  /** HMAC key of session cookies, at least 32 bytes; share it between instances. Default: random per process. */
  sessionSecret?: Uint8Array;
  /** Session lifetime. Default 8 hours. */
  sessionTtlMs?: number;
  /**
   * Public origin (`https://watchpost.example`) when behind a proxy; POSTs must come from it. Default: the request's
   * own origin.
   */
  publicOrigin?: string;
  /** Mark the cookie `Secure`: `auto` does so when the public origin is https. Default `auto`. */
  secureCookie?: boolean | 'auto';
  /** Where the pages get their data. Default: `storeDashboardData(deps.store)`. */
  data?: DashboardData;
}

interface DashboardEnv {
  Variables: { session: Session; viewer: Viewer; site: DashboardSite };
}

function html(c: Context, body: { toString(): string }, status: 200 | 400 | 401 | 403 | 404 = 200): Response {
  return c.html(body.toString(), status);
}

/**
 * The dashboard under `/dashboard`: sign-in with a site's admin key, the site list, the daily
 * report, drill-down pages for an IP, a country and a path, and "add to deny list". Pages are
 * server-rendered HTML with inline SVG charts and no script; see README "Dashboard".
 *
 * @example
 * app.route('/dashboard', dashboardRoutes(resolved, { sessionSecret }));
 */
export function dashboardRoutes(deps: ResolvedDeps, options: DashboardOptions = {}): Hono<DashboardEnv> {
  const { sessionSecret, sessionTtlMs, publicOrigin, secureCookie = 'auto' } = options;
  if (publicOrigin !== undefined && !/^https?:\/\/[^/]+$/.test(publicOrigin)) {
    throw new TypeError(
      `dashboardRoutes: publicOrigin must be like https://host[:port], got ${JSON.stringify(publicOrigin)}`,
    );
  }
  const data =
    options.data ??
    storeDashboardData(deps.store, {
      now: deps.now,
      logError: deps.logError,
      ...(deps.onDenyListChange ? { onDenyListChange: deps.onDenyListChange } : {}),
      ...(deps.verifyCrawler ? { report: { verifyCrawler: deps.verifyCrawler } } : {}),
    });
  // Sign-outs are kept in the database: a signed-out cookie stays refused after a restart.
  const sessions = createSessions({
    secret: sessionSecret,
    ttlMs: sessionTtlMs,
    now: deps.now,
    revocations: settingsRevocations(deps.store, { now: deps.now, ttlMs: sessionTtlMs ?? DEFAULT_SESSION_TTL_MS }),
  });
  const originOf = (c: Context) => publicOrigin ?? new URL(c.req.url).origin;
  const secure = (c: Context) => (secureCookie === 'auto' ? originOf(c).startsWith('https:') : secureCookie);
  const app = new Hono<DashboardEnv>();

  app.use('*', securityHeaders());
  app.use('*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('request body too large', 413) }));
  app.use(
    '*',
    sameOriginPosts(originOf, (c) =>
      html(c, renderErrorPage({ title: 'Refused', message: 'Cross-origin request refused.', viewer: null }), 403),
    ),
  );

  app.get('/assets/:file', function stylesheet(c) {
    if (c.req.param('file') !== `style.${STYLESHEET_HASH}.css`) return c.text('not found', 404);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  registerSignIn(app, { sessions, data, secure, html });

  app.get('/', async function siteList(c) {
    const sites = (await Promise.all(c.get('session').siteIds.map((id) => data.getSite(id)))).filter(
      (s): s is DashboardSite => s !== null,
    );
    return html(c, renderSitesPage({ sites, viewer: c.get('viewer') }));
  });

  app.use('/sites/:siteId/*', createMiddleware<DashboardEnv>(requireSite));

  /** Only sites of this session exist; the same answer for "no such site" and "not yours". */
  async function requireSite(c: Context<DashboardEnv>, next: () => Promise<void>) {
    const siteId = c.req.param('siteId') ?? '';
    const site = c.get('session').siteIds.includes(siteId) ? await data.getSite(siteId) : null;
    if (!site)
      return html(
        c,
        renderErrorPage({
          title: 'Not found',
          message: 'No such site in this session. Sign in with its admin key.',
          viewer: c.get('viewer'),
        }),
        404,
      );
    c.set('site', site);
    await next();
  }

  /** Reads `?date=`, defaulting to the site's today; null (and an error page) when malformed. */
  function dateOf(c: Context<DashboardEnv>): string | Response {
    const text = c.req.query('date');
    const today = data.today(c.get('site'));
    if (text === undefined || text === '') return today;
    const parsed = parseLocalDate(text);
    if (!parsed.ok)
      return html(c, renderErrorPage({ title: 'Bad date', message: parsed.message, viewer: c.get('viewer') }), 400);
    return parsed.date;
  }
  const bad = (c: Context<DashboardEnv>, message: string) =>
    html(c, renderErrorPage({ title: 'Bad request', message, viewer: c.get('viewer') }), 400);

  app.get('/sites/:siteId', async function reportPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const site = c.get('site');
    const report = await data.dailyReport(site, date);
    const denied = c.req.query('denied');
    const justDenied = denied && isIP(denied) ? denied : null;
    return html(c, renderReportPage({ report, today: data.today(site), viewer: c.get('viewer'), justDenied }));
  });

  app.get('/sites/:siteId/ip', async function ipPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const ip = checkIp(c.req.query('ip'));
    if (!ip.ok) return bad(c, ip.message);
    const site = c.get('site');
    const detail = await data.ipDetail(site, ip.value, date);
    return html(
      c,
      renderIpPage({
        detail,
        today: data.today(site),
        viewer: c.get('viewer'),
        justDenied: c.req.query('denied') === '1',
      }),
    );
  });

  app.get('/sites/:siteId/country', async function countryPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const country = checkCountry(c.req.query('code'));
    if (!country.ok) return bad(c, country.message);
    const site = c.get('site');
    const detail = await data.countryDetail(site, country.value, date);
    return html(c, renderCountryPage({ detail, today: data.today(site), viewer: c.get('viewer') }));
  });

  app.get('/sites/:siteId/path', async function pathPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const path = checkPath(c.req.query('path'));
    if (!path.ok) return bad(c, path.message);
    const site = c.get('site');
    const detail = await data.pathDetail(site, path.value, date);
    return html(c, renderPathPage({ detail, today: data.today(site), viewer: c.get('viewer') }));
  });

  app.get('/sites/:siteId/bot', async function botPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const name = checkBotName(c.req.query('name'));
    if (!name.ok) return bad(c, name.message);
    const site = c.get('site');
    const detail = await data.botDetail(site, name.value, date);
    return html(c, renderBotPage({ detail, today: data.today(site), viewer: c.get('viewer') }));
  });

  app.get('/sites/:siteId/logins', async function loginsPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const site = c.get('site');
    const report = await data.dailyReport(site, date);
    return html(c, renderLoginsPage({ report, today: data.today(site), viewer: c.get('viewer') }));
  });

  app.get('/sites/:siteId/rate-limits', async function rateLimitsPage(c) {
    const date = dateOf(c);
    if (date instanceof Response) return date;
    const site = c.get('site');
    const report = await data.dailyReport(site, date);
    return html(c, renderRateLimitsPage({ report, today: data.today(site), viewer: c.get('viewer') }));
  });

  // Alerts: schedule, webhooks and the delivery log, read from the store.
  app.get('/sites/:siteId/alerts', async function alertsPage(c) {
    const site = c.get('site');
    const [settings, webhooks, deliveries] = await Promise.all([
      deps.store.getAlertSettings(site.id),
      deps.store.listWebhooks(site.id),
      deps.store.listDeliveries(site.id, 100),
    ]);
    const nextReportAt = nextReportTime({ timeZone: site.timeZone, ...settings }, deps.now());
    return html(
      c,
      renderAlertsPage({
        data: { site, settings, nextReportAt, webhooks, deliveries, today: data.today(site) },
        viewer: c.get('viewer'),
      }),
    );
  });

  registerTriagePages(app, { deps, bad, html });

  app.post('/sites/:siteId/deny', async function denyIp(c) {
    const form = await c.req.parseBody();
    const ip = typeof form['ip'] === 'string' ? form['ip'] : '';
    if (isIP(ip) === 0) return bad(c, 'ip must be an IPv4 or IPv6 address.');
    const dateText = typeof form['date'] === 'string' ? form['date'] : '';
    const parsed = parseLocalDate(dateText);
    if (!parsed.ok) return bad(c, parsed.message);
    const reason = (typeof form['reason'] === 'string' ? form['reason'].trim() : '') || 'added from the dashboard';
    // Our forms send printable reasons (the report's are made storable): anything else is refused, as by the API.
    const problem = reasonProblem(reason);
    if (problem !== null) return bad(c, `${problem}.`);
    const site = c.get('site');
    // Sessions do not name their user: the audit log gets the sign-in's id, so one sign-in's changes link up.
    await data.denyIp(site, ip, reason, `dashboard session ${c.get('session').id.slice(0, 8)}`);
    if (form['back'] === 'ip') return c.redirect(`${ipUrl(site.id, ip, parsed.date)}&denied=1`, 303);
    return c.redirect(`${reportUrl(site.id, parsed.date)}&denied=${encodeURIComponent(ip)}#recommendations`, 303);
  });

  app.all('*', function notFound(c) {
    if (c.req.path === `${BASE}/` && c.req.method === 'GET') return c.redirect(BASE, 301);
    return html(
      c,
      renderErrorPage({ title: 'Not found', message: 'There is no dashboard page here.', viewer: null }),
      404,
    );
  });

  app.onError(function dashboardError(error, c) {
    deps.logError(error);
    return c.html(
      renderErrorPage({
        title: 'Error',
        message: 'Something went wrong; the server log has the details.',
        viewer: null,
      }).toString(),
      500,
    );
  });
  return app;
}
