import { createMiddleware } from 'hono/factory';
import type { KeyRole, Store } from '../db/store.js';
import type { AppEnv } from './env.js';
import { apiError } from './errors.js';

/**
 * Middleware that resolves `Authorization: Bearer KEY` to a site and role and refuses a key whose
 * role is not in `roles` (a revoked key is unknown). Handlers then read `c.get('site')` and `c.get('key')`
 * (the key's id and label, the actor of audit entries); they never take a site id from the request.
 *
 * @example
 * app.get('/v1/reports/daily', requireKey(store, ['admin']), (c) => c.json(c.get('site')));
 */
export function requireKey(store: Store, roles: readonly KeyRole[]) {
  return createMiddleware<AppEnv>(async function watchpostAuth(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw apiError(401, 'missing API key: send Authorization: Bearer <key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw apiError(401, 'malformed Authorization header: expected "Bearer <key>"');
    const resolved = await store.resolveKey(match[1]);
    if (!resolved) throw apiError(401, 'unknown API key: check the key printed by `watchpost sites create`');
    if (!roles.includes(resolved.role)) {
      throw apiError(403, `this endpoint needs an ${roles.join(' or ')} key; you sent an ${resolved.role} key`);
    }
    c.set('site', resolved.site);
    c.set('role', resolved.role);
    c.set('key', { id: resolved.keyId, label: resolved.label });
    await next();
  });
}
