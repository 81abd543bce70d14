/**
 * The dashboard's triage and audit pages: the site's open cases with one-click and bulk decisions,
 * and its audit log. Decisions go through the same case service as the API (`cases/decide.ts`), so
 * the deny list, the edge notice and the audit log behave the same; the actor is the dashboard
 * session, with the admin key it signed in with.
 */
import type { Context, Hono } from 'hono';
import { changeByDashboard } from '../audit/actor.js';
import { parseAuditQuery } from '../audit/query.js';
import { caseDecisionSchema, decideCase, NoTicketTargetError } from '../cases/decide.js';
import { TicketError } from '../cases/tickets.js';
import { decideDepsFor } from '../cases/decide-deps.js';
import { refreshCases } from '../cases/refresh.js';
import { CASE_KINDS, CASE_STATES, type CaseKind, type CaseState } from '../cases/kinds.js';
import type { ResolvedDeps } from '../http/env.js';
import { localDateAt } from '../time/days.js';
import { renderAuditPage } from './pages/audit.js';
import { renderTriagePage } from './pages/triage.js';
import type { DashboardSite } from './types.js';
import type { Session } from './session.js';
import type { Viewer } from './layout.js';
import { triageUrl } from './urls.js';

/** What the pages need from the dashboard's router. */
export interface TriagePageTools {
  deps: ResolvedDeps;
  bad: (c: Context, message: string) => Response | Promise<Response>;
  html: (c: Context, body: { toString(): string }) => Response;
}

type Env = { Variables: { session: Session; viewer: Viewer; site: DashboardSite } };

const MONTH_MS = 30 * 86_400_000;
const REFRESH_EVERY_MS = 5 * 60_000;
/** Cases one triage page lists. */
const PAGE = 200;

/**
 * Adds `GET/POST /sites/:siteId/triage` and `GET /sites/:siteId/audit` to the dashboard (after its
 * session and site checks).
 *
 * @example
 * registerTriagePages(app, { deps, bad, html });
 */
export function registerTriagePages(app: Hono<Env>, { deps, bad, html }: TriagePageTools): void {
  /** When each site's cases last took in today's evidence. */
  const refreshedAt = new Map<string, number>();
  const depsOf = (c: Context, site: DashboardSite) => decideDepsFor(deps, site, new URL(c.req.url).origin);

  app.get('/sites/:siteId/triage', async function triagePage(c) {
    const site = c.get('site');
    const state = c.req.query('state') || 'new';
    const kind = c.req.query('kind') || null;
    const country = c.req.query('country') || null;
    if (!(CASE_STATES as readonly string[]).includes(state)) return bad(c, 'state must be a case state.');
    if (kind !== null && !(CASE_KINDS as readonly string[]).includes(kind)) return bad(c, 'kind is not a case kind.');
    if (country !== null && !/^([A-Z]{2}|unknown)$/.test(country))
      return bad(c, 'country must be a two-letter code such as JP, or "unknown".');
    // Today's evidence first, at most every 5 minutes per site (it costs a report).
    const now = deps.now();
    if ((refreshedAt.get(site.id) ?? -Infinity) <= now - REFRESH_EVERY_MS) {
      if (refreshedAt.size >= 10_000) refreshedAt.clear();
      refreshedAt.set(site.id, now);
      const full = await deps.store.getSite(site.id);
      if (full) await refreshCases(deps.store, full, localDateAt(now, site.timeZone), now, depsOf(c, site));
    }
    const cases = await deps.store.listCases(site.id, {
      states: [state as CaseState],
      ...(kind ? { kind: kind as CaseKind } : {}),
      ...(country ? { country: country === 'unknown' ? null : country } : {}),
      limit: PAGE,
    });
    const done = c.req.query('done');
    return html(
      c,
      renderTriagePage({
        site,
        cases,
        filter: { state, kind, country },
        viewer: c.get('viewer'),
        done: done && /^\d{1,3}$/.test(done) ? Number(done) : null,
        tickets: deps.tickets?.has(site.id) ?? false,
      }),
    );
  });

  app.post('/sites/:siteId/triage', async function decide(c) {
    const site = c.get('site');
    const form = await c.req.parseBody({ all: true });
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
    const pick = text('pick');
    const [action, one] = pick
      ? [pick.slice(0, pick.indexOf(':')), pick.slice(pick.indexOf(':') + 1)]
      : [text('action')];
    const picked = form['caseId'];
    const ids = one
      ? [one]
      : (Array.isArray(picked) ? picked : [picked]).filter((v): v is string => typeof v === 'string');
    if (ids.length === 0) return bad(c, 'Tick at least one case.');
    if (ids.length > 500) return bad(c, 'At most 500 cases at once.');
    const input = caseDecisionSchema.safeParse({
      action,
      reason: text('reason'),
      ...(action === 'deny' ? { expiry: text('expiry') || '7d' } : {}),
    });
    if (!input.success) return bad(c, input.error.issues[0]?.message ?? 'invalid decision');
    const session = c.get('session');
    const keyId = session.keyIds[session.siteIds.indexOf(site.id)] ?? null;
    const by = changeByDashboard(`dashboard session ${session.id.slice(0, 8)}`, keyId, input.data.reason);
    const decideDeps = depsOf(c, site);
    let decided = 0;
    try {
      for (const id of new Set(ids)) if (await decideCase(decideDeps, site.id, id, input.data, by)) decided += 1;
    } catch (error) {
      if (error instanceof NoTicketTargetError || error instanceof TicketError)
        return bad(c, `${decided} decided, then: ${error.message}.`);
      throw error;
    }
    return c.redirect(triageUrl(site.id, { done: String(decided) }), 303);
  });

  app.get('/sites/:siteId/audit', async function auditPage(c) {
    const site = c.get('site');
    const query = parseAuditQuery({
      since: String(deps.now() - MONTH_MS),
      limit: '100',
      cursor: c.req.query('cursor'),
    });
    if (!query.ok) return bad(c, query.message);
    const audit = await deps.store.listAudit(site.id, query);
    return html(c, renderAuditPage({ site, audit, viewer: c.get('viewer') }));
  });
}
