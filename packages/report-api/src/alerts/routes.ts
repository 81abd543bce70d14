import { Hono } from 'hono';
import { z } from 'zod';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';
import { createDeliveryQueue, type DeliveryQueueOptions } from './deliver.js';
import { nextReportTime, parseReportTime } from './schedule.js';
import { sendTestMessage } from './send-test.js';
import type { Webhook } from '../db/alerts.js';
import { redactUrl, webhookUrlProblem } from './webhook-url.js';

/** Body of `POST /v1/webhooks`. */
export const newWebhookSchema = z.object({ url: z.string().max(2048) }).strict();

/** Body of `PUT /v1/alerts/settings`: either field may be left out. */
export const alertSettingsSchema = z
  .object({
    reportTime: z.string().refine((value) => parseReportTime(value) !== null, 'HH:MM, 24 h, e.g. 17:00'),
    businessDaysOnly: z.boolean(),
  })
  .partial()
  .strict();

/** Options of {@link alertRoutes}. */
export interface AlertRoutesOptions {
  /** Base URL for dashboard links in test messages. Default: the origin the request came to. */
  publicUrl?: string | null;
  /** Delivery settings of test messages sent through the API (default: 5 s timeout, 2 attempts). */
  delivery?: Omit<DeliveryQueueOptions, 'record' | 'now' | 'logError'>;
}

const shown = (webhook: Webhook) => ({ id: webhook.id, url: redactUrl(webhook.url), createdAt: webhook.createdAt });

async function jsonBody(request: Request, example: string): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw apiError(400, `body is not valid JSON; send ${example}`);
  }
}

function invalid(error: z.ZodError, what: string): never {
  throw apiError(400, `invalid ${what}`, issueDetails(error.issues));
}

/**
 * Webhooks, report schedule, test messages and the delivery log, all with the site's admin key:
 * `GET/POST /v1/webhooks`, `DELETE /v1/webhooks/:id`, `GET/PUT /v1/alerts/settings`,
 * `POST /v1/alerts/test`, `GET /v1/alerts/deliveries?limit=N`. Webhook URLs are secrets: they are
 * returned in full only once, by the POST that adds them.
 *
 * @example
 * app.route('/v1', alertRoutes(deps));
 */
export function alertRoutes(deps: ResolvedDeps, { publicUrl = null, delivery = {} }: AlertRoutesOptions = {}) {
  const app = new Hono<AppEnv>();
  const admin = requireKey(deps.store, ['admin']);
  // Test messages go through their own small queue: a slow receiver delays only the test's answer.
  const queue = createDeliveryQueue({
    timeoutMs: 5000,
    maxAttempts: 2,
    ...delivery,
    record: (d) => deps.store.recordDelivery(d),
    now: deps.now,
    logError: deps.logError,
  });

  app.get('/webhooks', admin, async function listWebhooks(c) {
    const hooks = await deps.store.listWebhooks(c.get('site').id);
    return c.json({ webhooks: hooks.map(shown) });
  });

  app.post('/webhooks', admin, async function addWebhook(c) {
    const parsed = newWebhookSchema.safeParse(
      await jsonBody(c.req.raw, '{ "url": "https://hooks.slack.com/services/..." }'),
    );
    if (!parsed.success) invalid(parsed.error, 'webhook');
    const problem = webhookUrlProblem(parsed.data.url);
    if (problem) throw apiError(400, 'invalid webhook', [{ path: 'url', message: problem }]);
    const hook = await deps.store.addWebhook(c.get('site').id, parsed.data.url, deps.now());
    return c.json({ id: hook.id, url: hook.url, createdAt: hook.createdAt }, 201);
  });

  app.delete('/webhooks/:id', admin, async function removeWebhook(c) {
    const removed = await deps.store.removeWebhook(c.get('site').id, c.req.param('id'));
    if (!removed) throw apiError(404, `no webhook ${JSON.stringify(c.req.param('id'))} on this site`);
    return c.body(null, 204);
  });

  app.get('/alerts/settings', admin, async function getAlertSettings(c) {
    const site = c.get('site');
    const settings = await deps.store.getAlertSettings(site.id);
    return c.json({
      ...settings,
      timeZone: site.timeZone,
      nextReportAt: nextReportTime({ timeZone: site.timeZone, ...settings }, deps.now()),
    });
  });

  app.put('/alerts/settings', admin, async function putAlertSettings(c) {
    const parsed = alertSettingsSchema.safeParse(
      await jsonBody(c.req.raw, '{ "reportTime": "17:00", "businessDaysOnly": true }'),
    );
    if (!parsed.success) invalid(parsed.error, 'alert settings');
    const site = c.get('site');
    const settings = await deps.store.setAlertSettings(site.id, parsed.data);
    return c.json({
      ...settings,
      timeZone: site.timeZone,
      nextReportAt: nextReportTime({ timeZone: site.timeZone, ...settings }, deps.now()),
    });
  });

  app.post('/alerts/test', admin, async function sendTest(c) {
    const site = c.get('site');
    const results = await sendTestMessage({
      store: deps.store,
      site,
      queue,
      now: deps.now(),
      publicUrl: publicUrl ?? deps.publicOrigin ?? new URL(c.req.url).origin,
    });
    if (results.length === 0)
      throw apiError(409, 'this site has no webhook yet: POST /v1/webhooks { "url": "https://..." } first');
    const deliveries = results.map(({ webhookId, status, httpStatus, error, attempts }) => ({
      webhookId,
      status,
      httpStatus,
      error,
      attempts,
    }));
    return c.json({ ok: deliveries.every((d) => d.status === 'delivered'), deliveries });
  });

  app.get('/alerts/deliveries', admin, async function listDeliveries(c) {
    const raw = c.req.query('limit') ?? '50';
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
      throw apiError(400, 'limit must be an integer from 1 to 1000', [
        { path: 'limit', message: `got ${JSON.stringify(raw)}` },
      ]);
    }
    return c.json({ deliveries: await deps.store.listDeliveries(c.get('site').id, Number(raw)) });
  });

  return app;
}
