import { Hono } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { answerJsonOrCsv } from '../http/tables.js';
import { ownSite } from '../sites/own-site.js';
import { parseAuditQuery } from './query.js';

/**
 * `GET /v1/sites/:id/audit?since=&limit=&cursor=` (admin key of that site): the site's audit log,
 * oldest first, in pages of at most 500; `next` is the cursor of the following page. As CSV with
 * `Accept: text/csv` and `?table=entries`.
 *
 * @example
 * app.route('/v1/sites', auditRoutes(deps)); // mounted by siteAdminRoutes
 */
export function auditRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  app.get('/:id/audit', requireKey(deps.store, ['admin']), async function listAudit(c) {
    const site = ownSite(c);
    const query = parseAuditQuery({
      since: c.req.query('since'),
      limit: c.req.query('limit'),
      cursor: c.req.query('cursor'),
    });
    if (!query.ok) throw apiError(400, `invalid ${query.field}`, [{ path: query.field, message: query.message }]);
    return answerJsonOrCsv(c, await deps.store.listAudit(site.id, query), 'audit');
  });
  return app;
}
