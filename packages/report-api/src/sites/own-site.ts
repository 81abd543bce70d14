import type { Context } from 'hono';
import type { Site } from '../db/store.js';
import type { AppEnv } from '../http/env.js';
import { apiError } from '../http/errors.js';

/**
 * The site of `/v1/sites/:id/…` when it is the caller's key's own site. Any other id, another tenant's
 * included, is answered 404 like an unknown one: a key never learns whether another site exists.
 *
 * @example
 * const site = ownSite(c); // after requireKey
 */
export function ownSite(c: Context<AppEnv>): Site {
  const site = c.get('site');
  if (c.req.param('id') !== site.id) throw apiError(404, 'no such site for this key: use the id of the key’s own site');
  return site;
}
