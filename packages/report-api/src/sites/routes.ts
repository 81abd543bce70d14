import { Hono } from 'hono';
import { z } from 'zod';
import { changeByKey } from '../audit/actor.js';
import { auditRoutes } from '../audit/routes.js';
import { siteNameProblem, MAX_SITE_NAME } from '../audit/text.js';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { keyRoutes, reasonQuery } from '../keys/routes.js';
import { reasonField } from '../keys/schema.js';
import { ownSite } from './own-site.js';

const BODY_LIMITS = { maxBodyBytes: 8 * 1024, maxDecompressedBytes: 8 * 1024 };

/**
 * Body of `PATCH /v1/sites/{id}`.
 *
 * @example
 * renameSiteSchema.parse({ name: 'shop (prod)' });
 */
export const renameSiteSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(MAX_SITE_NAME)
      .refine((name) => siteNameProblem(name) === null, {
        error: (issue) => siteNameProblem(String(issue.input)) ?? 'invalid name',
      })
      .describe('the new name: one printable line'),
    reason: reasonField,
  })
  .meta({ examples: [{ name: 'shop (production)', reason: 'staging moved to its own site' }] });

/** Answer of `DELETE /v1/sites/{id}`. */
export const deletedSiteSchema = z.object({
  deleted: z.string().describe('the id of the deleted site'),
  rows: z.number().int().describe('rows deleted, all tables together'),
});

/**
 * The site administration API under `/v1/sites` (admin key of the site named by `:id`): its keys,
 * its audit log, `PATCH /:id` (rename) and `DELETE /:id?confirm=:id` (the site and all its data, in
 * one transaction; the key used stops working with it).
 *
 * @example
 * app.route('/v1/sites', siteAdminRoutes(deps));
 */
export function siteAdminRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  const admin = requireKey(deps.store, ['admin']);
  app.route('/', keyRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.patch('/:id', admin, async function renameSite(c) {
    const site = ownSite(c);
    const body = await readJsonBody(c.req.raw, BODY_LIMITS, 'send { "name": "..." }');
    const parsed = renameSiteSchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'invalid site', issueDetails(parsed.error.issues));
    const by = changeByKey(c.get('key'), parsed.data.reason);
    const renamed = await deps.store.renameSite(site.id, parsed.data.name.trim(), by, deps.now());
    if (!renamed) throw apiError(404, 'no such site for this key: it was deleted');
    return c.json(renamed);
  });
  app.delete('/:id', admin, async function deleteSite(c) {
    const site = ownSite(c);
    const reason = reasonQuery(c);
    if (c.req.query('confirm') !== site.id) {
      throw apiError(400, 'deleting a site needs confirmation', [
        { path: 'confirm', message: `pass ?confirm=${site.id}: the site and all its data are deleted for good` },
      ]);
    }
    const deleted = await deps.store.deleteSite(site.id, changeByKey(c.get('key'), reason), deps.now());
    if (!deleted) throw apiError(404, 'no such site for this key: it was deleted');
    return c.json({ deleted: site.id, rows: deleted.rows });
  });
  return app;
}
