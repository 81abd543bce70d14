import { MAX_EVENT_TS, eventSourceSchema } from '@watchpost/middleware/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';

const DAY_MS = 86_400_000;
const epochMs = z.coerce.number().int().min(0).max(MAX_EVENT_TS);
const querySchema = z.object({ from: epochMs.optional(), to: epochMs.optional() });

const countsSchema = z.object({
  batches: z.number().int(),
  events: z.number().int(),
  rejected: z.number().int().describe('events refused one by one by validation'),
  dropped: z.number().int().describe('events the senders reported dropping before sending'),
});

/** The body of `GET /v1/ingest/stats` (for the OpenAPI document). */
export const ingestStatsSchema = countsSchema.extend({
  from: z.number().int(),
  to: z.number().int(),
  sources: z.array(countsSchema.extend({ source: eventSourceSchema })),
});

/**
 * `GET /v1/ingest/stats?from=&to=` (admin key): batches, stored events, events rejected by
 * validation and events dropped by the senders, for the caller's site, in total and per source,
 * over batches received in `from <= t < to` (epoch ms; default the last 24 hours). Batch rows live
 * as long as raw events (retention), import batches for good.
 *
 * @example
 * app.route('/v1/ingest', ingestStatsRoutes(deps));
 */
export function ingestStatsRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  app.get('/stats', requireKey(deps.store, ['admin']), async function ingestStats(c) {
    const parsed = querySchema.safeParse(c.req.query());
    if (!parsed.success)
      throw apiError(400, 'from and to must be epoch milliseconds', issueDetails(parsed.error.issues));
    const to = parsed.data.to ?? deps.now();
    const from = parsed.data.from ?? to - DAY_MS;
    if (from >= to)
      throw apiError(400, 'from must be before to', [{ path: 'from', message: `got from=${from}, to=${to}` }]);
    const stats = await deps.store.ingestStats(c.get('site').id, from, to);
    return c.json({ from, to, ...stats });
  });
  return app;
}
