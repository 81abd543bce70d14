import { Hono } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { ingestLimits } from '../http/ingest-limits.js';
import { readJsonText } from '../http/json-body.js';
import { validateBatch } from './validate.js';

/**
 * `POST /v1/events` (ingest or admin key): validates a batch per event and stores its valid events once.
 * A broken envelope (not an object, bad batchId/source/sentAt, events not an array or over
 * `MAX_BATCH_EVENTS`) gets 400 and nothing is stored. Otherwise 202
 * `{ batchId, accepted, rejected, duplicate, details }`: `rejected` counts the events refused one by
 * one (also kept in the site's ingest stats), `details` names the first 20 (`index`, `path`,
 * `message`). A retried batchId gets 202 with `duplicate: true, accepted: 0`.
 *
 * @example
 * app.route('/v1/events', eventRoutes(deps));
 */
export function eventRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  // Rate and concurrency bounds run after the key check (they need the site) and before the body is
  // read, so refusals are fast; each request holds its slot until it is answered.
  const limits = ingestLimits(deps.limits, deps.now);
  app.post('/', requireKey(deps.store, ['ingest', 'admin']), limits, async function ingestEvents(c) {
    const { text, value } = await readJsonText(c.req.raw, deps.limits);
    const result = validateBatch(value, { now: deps.now() });
    if (!result.ok) {
      throw apiError(
        400,
        'the batch envelope does not match the schema; fix the listed fields (nothing was stored)',
        result.details,
      );
    }
    const { batch, rejected, details } = result;
    // The store (and the SQLite writer thread, which parses the text) must get only the valid,
    // normalised events: the received text stands for the batch only when nothing was changed.
    const json = result.changed ? JSON.stringify(batch) : text;
    const { accepted, duplicate } = await deps.store.ingestBatch(c.get('site').id, batch, json, { rejected });
    return c.json({ batchId: batch.batchId, accepted, rejected, duplicate, details }, 202);
  });
  return app;
}
