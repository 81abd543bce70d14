import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { changeByKey } from '../audit/actor.js';
import { recordChange } from '../audit/record.js';
import { sitePoliciesSchema } from '../db/policies.js';
import { CASE_KINDS, CASE_STATES, MAX_CASE_PAGE, type Case, type CaseKind, type CaseState } from '../db/cases.js';
import type { Site } from '../db/store.js';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { answerJsonOrCsv } from '../http/tables.js';
import { ownSite } from '../sites/own-site.js';
import { localDateAt, parseLocalDate } from '../time/days.js';
import { caseDecisionSchema, decideCase, NoTicketTargetError } from './decide.js';
import { TicketError } from './tickets.js';
import { decideDepsFor } from './decide-deps.js';
import { refreshCases } from './refresh.js';

const BODY_LIMITS = { maxBodyBytes: 64 * 1024, maxDecompressedBytes: 64 * 1024 };
/** Most cases one bulk decision takes. */
export const MAX_BULK_CASES = 500;
/** A list refreshes today's evidence first, at most this often per site. */
const REFRESH_EVERY_MS = 5 * 60_000;

/** Body of `POST /v1/sites/{id}/cases/decisions`: one decision for many cases. */
export const bulkDecisionSchema = z.object({
  caseIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_CASES),
  decision: caseDecisionSchema,
});

const listQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((text) => (text ? text.split(',') : undefined))
    .pipe(z.array(z.enum(CASE_STATES)).optional()),
  kind: z.enum(CASE_KINDS).optional(),
  country: z
    .string()
    .regex(/^([A-Z]{2}|unknown)$/, 'a two-letter country code such as JP, or "unknown"')
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CASE_PAGE).default(100),
  refresh: z.enum(['0', '1']).default('1'),
});

/**
 * Triage cases under `/v1/sites/:id` (admin key of the site): list (filters by state, kind and
 * country; today's evidence is folded in first), one case, a decision on one or many, and a refresh
 * of any day's evidence. Another site's case ids answer 404.
 *
 * @example
 * app.route('/v1/sites', caseRoutes(deps));
 */
export function caseRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  const admin = requireKey(deps.store, ['admin']);
  const refreshedAt = new Map<string, number>();

  async function refreshToday(c: Context<AppEnv>, site: Site) {
    const now = deps.now();
    if ((refreshedAt.get(site.id) ?? -Infinity) > now - REFRESH_EVERY_MS) return;
    if (refreshedAt.size >= 10_000) refreshedAt.clear();
    refreshedAt.set(site.id, now);
    await refreshCases(deps.store, site, localDateAt(now, site.timeZone), now, decideDepsOf(c, site));
  }
  const decideDepsOf = (c: Context<AppEnv>, site: Site) => decideDepsFor(deps, site, new URL(c.req.url).origin);
  async function decided(work: () => Promise<Case | null>): Promise<Case | null> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof NoTicketTargetError) throw apiError(409, error.message);
      if (error instanceof TicketError) throw apiError(502, `no ticket was opened: ${error.message}`);
      throw error;
    }
  }
  async function decisionBody<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
    const body = await readJsonBody(c.req.raw, BODY_LIMITS, 'send a JSON decision');
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'invalid decision', issueDetails(parsed.error.issues));
    return parsed.data;
  }

  app.get('/:id/cases', admin, async function listCases(c) {
    const site = ownSite(c);
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) throw apiError(400, 'invalid query', issueDetails(query.error.issues));
    const { state, kind, country, limit, refresh } = query.data;
    if (refresh === '1') await refreshToday(c, site);
    const cases = await deps.store.listCases(site.id, {
      states: (state ?? ['new']) as CaseState[],
      ...(kind ? { kind: kind as CaseKind } : {}),
      ...(country ? { country: country === 'unknown' ? null : country } : {}),
      limit,
    });
    return answerJsonOrCsv(c, { cases }, 'cases');
  });
  app.post('/:id/cases/refresh', admin, async function refresh(c) {
    const site = ownSite(c);
    const date = c.req.query('date') ?? localDateAt(deps.now(), site.timeZone);
    const parsed = parseLocalDate(date);
    if (!parsed.ok) throw apiError(400, 'invalid date', [{ path: 'date', message: parsed.message }]);
    return c.json(await refreshCases(deps.store, site, parsed.date, deps.now(), decideDepsOf(c, site)));
  });
  app.post('/:id/cases/decisions', admin, async function decideMany(c) {
    const site = ownSite(c);
    const { caseIds, decision } = await decisionBody(c, bulkDecisionSchema);
    const by = changeByKey(c.get('key'), decision.reason);
    const decideDeps = decideDepsOf(c, site);
    const done: string[] = [];
    const missing: string[] = [];
    const failed: Array<{ caseId: string; error: string }> = [];
    for (const id of new Set(caseIds)) {
      try {
        const result = await decided(() => decideCase(decideDeps, site.id, id, decision, by));
        (result ? done : missing).push(id);
      } catch (error) {
        if (!(error instanceof HTTPException) || error.status === 409) throw error;
        failed.push({ caseId: id, error: (await error.getResponse().json()).error as string });
      }
    }
    return c.json({ decided: done, missing, failed });
  });
  app.get('/:id/policies', admin, async function getPolicies(c) {
    return c.json(await deps.store.getPolicies(ownSite(c).id));
  });
  app.put('/:id/policies', admin, async function putPolicies(c) {
    const site = ownSite(c);
    const body = await readJsonBody(c.req.raw, BODY_LIMITS, 'send { "autoDeny": [...], "expiry": "7d" }');
    const parsed = sitePoliciesSchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'invalid policies', issueDetails(parsed.error.issues));
    const before = await deps.store.getPolicies(site.id);
    await deps.store.putPolicies(site.id, parsed.data, deps.now());
    await recordChange(deps, site.id, changeByKey(c.get('key'), ''), 'policies.set', site.id, {
      before,
      after: parsed.data,
    });
    return c.json(parsed.data);
  });
  app.get('/:id/cases/:caseId', admin, async function getCase(c) {
    const site = ownSite(c);
    const found = await deps.store.getCase(site.id, c.req.param('caseId'));
    if (!found) throw apiError(404, 'no such case for this site');
    return c.json(found);
  });
  app.post('/:id/cases/:caseId/decision', admin, async function decide(c) {
    const site = ownSite(c);
    const decision = await decisionBody(c, caseDecisionSchema);
    const by = changeByKey(c.get('key'), decision.reason);
    const caseId = c.req.param('caseId');
    const result = await decided(() => decideCase(decideDepsOf(c, site), site.id, caseId, decision, by));
    if (!result) throw apiError(404, 'no such case for this site');
    return c.json(result);
  });
  return app;
}
