import { Hono } from 'hono';
import type { Context } from 'hono';
import { changeByKey } from '../audit/actor.js';
import { auditReasonProblem } from '../audit/text.js';
import { LastAdminKeyError, TooManyKeysError } from '../db/keys.js';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { ownSite } from '../sites/own-site.js';
import { newKeySchema, rotateKeySchema } from './schema.js';

const BODY_LIMITS = { maxBodyBytes: 8 * 1024, maxDecompressedBytes: 8 * 1024 };

/** A key creation, with a site's full key ring answered 409. */
async function tooMany<T>(creation: Promise<T>): Promise<T> {
  try {
    return await creation;
  } catch (error) {
    if (error instanceof TooManyKeysError) throw apiError(409, error.message);
    throw error;
  }
}

/** `?reason=` of a DELETE, checked like a body's reason. */
export function reasonQuery(c: Context<AppEnv>): string {
  const reason = c.req.query('reason') ?? '';
  const problem = auditReasonProblem(reason);
  if (problem) throw apiError(400, 'invalid reason', [{ path: 'reason', message: problem }]);
  return reason;
}

/**
 * The keys of a site (admin key of that site): `GET /v1/sites/:id/keys`, `POST` (create, the secret
 * answered once), `POST /:keyId/rotate` (a new key with the same kind and label; the old one stays valid
 * until revoked, so senders switch without downtime) and `DELETE /:keyId` (revoke). Every change is
 * in the audit log with the caller's key label as the actor.
 *
 * @example
 * app.route('/v1/sites', keyRoutes(deps)); // mounted by siteAdminRoutes
 */
export function keyRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  const admin = requireKey(deps.store, ['admin']);
  app.get('/:id/keys', admin, async function listKeys(c) {
    const site = ownSite(c);
    return c.json({ keys: await deps.store.listKeys(site.id) });
  });
  app.post('/:id/keys', admin, async function createKey(c) {
    const site = ownSite(c);
    const body = await readJsonBody(c.req.raw, BODY_LIMITS, 'send { "label": "alice", "kind": "admin" }');
    const parsed = newKeySchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'invalid key', issueDetails(parsed.error.issues));
    const { label, kind, reason } = parsed.data;
    const by = changeByKey(c.get('key'), reason);
    const created = await tooMany(deps.store.createKey(site.id, { role: kind, label }, by, deps.now()));
    return c.json(created, 201);
  });
  app.post('/:id/keys/:keyId/rotate', admin, async function rotateKey(c) {
    const site = ownSite(c);
    const body = await readJsonBody(c.req.raw, BODY_LIMITS, 'send { "reason": "..." }');
    const parsed = rotateKeySchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'invalid rotation', issueDetails(parsed.error.issues));
    const keyId = c.req.param('keyId');
    const old = (await deps.store.listKeys(site.id)).find((k) => k.id === keyId);
    if (!old) throw apiError(404, `no key ${JSON.stringify(keyId.slice(0, 80))} on this site`);
    const by = changeByKey(c.get('key'), parsed.data.reason || `rotates ${old.id}`);
    const created = await tooMany(deps.store.createKey(site.id, { role: old.role, label: old.label }, by, deps.now()));
    return c.json({ ...created, rotates: old.id }, 201);
  });
  app.delete('/:id/keys/:keyId', admin, async function revokeKey(c) {
    const site = ownSite(c);
    const reason = reasonQuery(c);
    const keyId = c.req.param('keyId');
    try {
      const revoked = await deps.store.revokeKey(site.id, keyId, changeByKey(c.get('key'), reason), deps.now());
      if (!revoked) throw apiError(404, `no key ${JSON.stringify(keyId.slice(0, 80))} on this site`);
    } catch (error) {
      if (error instanceof LastAdminKeyError) throw apiError(409, error.message);
      throw error;
    }
    return c.body(null, 204);
  });
  return app;
}
