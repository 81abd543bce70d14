import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { denyListRoutes } from './denylist/routes.js';
import type { AppEnv, BodyLimits, IngestLimits, ResolvedDeps } from './http/env.js';
import { apiError } from './http/errors.js';
import { DEFAULT_INGEST_LIMITS, MAX_BATCH_JSON_BYTES, definedOnly } from './http/ingest-limits.js';
import { eventRoutes } from './ingest/route.js';
import { ingestStatsRoutes } from './ingest/stats-route.js';
import { importRoutes } from './importers/route.js';
import { openApiRoutes } from './openapi/route.js';
import { reportRoutes } from './reports/route.js';
import { dashboardRoutes, type DashboardOptions } from './dashboard/routes.js';
import type { TicketTarget } from './cases/tickets.js';
import type { CrawlerVerifier } from './verify/reverse-dns.js';
import type { Store } from './db/store.js';
import { alertRoutes } from './alerts/routes.js';
import { siteAdminRoutes } from './sites/routes.js';
import { drillDownRoutes } from './queries/routes.js';
import { caseRoutes } from './cases/routes.js';

const MB = 1024 * 1024;

/**
 * What `createApp` needs. Impure things are injected so tests can control them.
 *
 * @example
 * const deps: AppDeps = { store, now: () => Date.parse('2026-03-01T00:00:00Z') };
 */
export interface AppDeps {
  store: Store;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  limits?: Partial<BodyLimits & IngestLimits>;
  /** Where unexpected errors are logged (never sent to clients). Default `console.error`. */
  logError?: (error: unknown) => void;
  /** Dashboard settings (session secret, public origin); see `DashboardOptions`. */
  dashboard?: DashboardOptions;
  /** Called when a site's deny list changed through the API (e.g. `createEdgeNotifier(...).notify`). */
  onDenyListChange?: (siteId: string) => void;
  /** Where each site's tickets go (`parseTicketTargets(process.env.WATCHPOST_TICKETS)`). */
  tickets?: ReadonlyMap<string, TicketTarget>;
  /** Reverse-DNS check of the impersonators reports list (`createCrawlerVerifier()`); off when absent. */
  verifyCrawler?: CrawlerVerifier;
}

/**
 * Builds the report API as a Hono app. It never listens: `watchpost serve` does, tests call `app.request()`.
 *
 * @example
 * const app = createApp({ store: openSqliteStore({ path: 'watchpost.db' }) });
 * const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const resolved: ResolvedDeps = {
    store: deps.store,
    now: deps.now ?? Date.now,
    limits: {
      maxBodyBytes: 5 * MB,
      maxDecompressedBytes: MAX_BATCH_JSON_BYTES,
      ...DEFAULT_INGEST_LIMITS,
      ...definedOnly(deps.limits ?? {}),
    },
    logError: deps.logError ?? ((error) => console.error(error)),
    ...(deps.onDenyListChange ? { onDenyListChange: deps.onDenyListChange } : {}),
    ...(deps.tickets ? { tickets: deps.tickets } : {}),
    ...(deps.verifyCrawler ? { verifyCrawler: deps.verifyCrawler } : {}),
    ...(deps.dashboard?.publicOrigin ? { publicOrigin: deps.dashboard.publicOrigin } : {}),
  };
  const app = new Hono<AppEnv>();

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', openApiRoutes());
  app.route('/v1/events', eventRoutes(resolved));
  app.route('/v1/ingest', ingestStatsRoutes(resolved));
  app.route('/v1/denylist', denyListRoutes(resolved));
  app.route('/v1/reports', reportRoutes(resolved));
  app.route('/dashboard', dashboardRoutes(resolved, deps.dashboard));
  app.route('/v1/import', importRoutes(resolved));
  app.route('/v1', alertRoutes(resolved)); // /v1/webhooks and /v1/alerts
  app.route('/v1/sites', siteAdminRoutes(resolved)); // keys, audit log, rename, delete
  app.route('/v1/sites', drillDownRoutes(resolved)); // ip, country and path drill-downs
  app.route('/v1/sites', caseRoutes(resolved)); // triage cases and decisions

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}; see /openapi.json` }, 404));
  app.onError(function watchpostError(error) {
    if (error instanceof HTTPException) return error.getResponse();
    resolved.logError(error);
    return apiError(500, 'internal error; the server log has the details').getResponse();
  });
  return app;
}
