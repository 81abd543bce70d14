import { Hono } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { readJsonText } from '../http/json-body.js';
import { validateBatch } from './validate.js';

/**
 * `POST /v1/events` (ingest or admin key): validates a batch and stores it once.
 * Answers 202 `{ accepted, duplicate }`; a retried batchId gets 202 with `duplicate: true, accepted: 0`.
 *
 * @example
 * app.route('/v1/events', eventRoutes(deps));
 */
export function eventRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  app.post('/', requireKey(deps.store, ['ingest', 'admin']), async function ingestEvents(c) {
    const { text, value } = await readJsonText(c.req.raw, deps.limits);
    const result = validateBatch(value);
    if (!result.ok) {
      throw apiError(400, 'the batch does not match the event schema; fix the listed fields (nothing was stored)', result.details);
    }
    const { accepted, duplicate } = await deps.store.ingestBatch(c.get('site').id, result.batch, text);
    return c.json({ batchId: result.batch.batchId, accepted, duplicate }, 202);
  });
  return app;
}
