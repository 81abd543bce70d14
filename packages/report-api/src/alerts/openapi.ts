import { z } from 'zod';
import { INCIDENT_KINDS } from './incident.js';
import {
  bearerSecurity as security,
  errorResponses as errors,
  jsonBody as body,
  jsonResponse as json,
} from '../openapi/parts.js';
import { alertSettingsSchema, newWebhookSchema } from './routes.js';

const webhookSchema = z.object({ id: z.string(), url: z.string(), createdAt: z.number().int() });
const settingsSchema = z.object({
  reportTime: z.string(),
  businessDaysOnly: z.boolean(),
  timeZone: z.string(),
  nextReportAt: z.number().int(),
});
const outcomeSchema = z.object({
  webhookId: z.string(),
  status: z.enum(['delivered', 'failed', 'dropped']),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
});
const deliverySchema = outcomeSchema.extend({
  id: z.number().int(),
  siteId: z.string(),
  kind: z.enum([...INCIDENT_KINDS, 'test', 'daily-report']),
  summary: z.string(),
  at: z.number().int(),
  durationMs: z.number().int(),
});

/**
 * The OpenAPI paths of `alertRoutes`, for the report API's `/openapi.json`.
 *
 * @example
 * const doc = { paths: { ...otherPaths, ...alertOpenApiPaths() } };
 */
export function alertOpenApiPaths() {
  return {
    '/v1/webhooks': {
      get: {
        summary: 'webhooks of the site, URLs redacted (admin key)',
        security,
        responses: { '200': json(z.object({ webhooks: z.array(webhookSchema) }), 'the webhooks'), ...errors(401, 403) },
      },
      post: {
        summary: 'add a Slack-compatible webhook, http(s) only (admin key); the full URL is returned only here',
        security,
        requestBody: body(newWebhookSchema),
        responses: { '201': json(webhookSchema, 'the new webhook'), ...errors(400, 401, 403) },
      },
    },
    '/v1/webhooks/{id}': {
      delete: {
        summary: 'remove a webhook (admin key)',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'removed' }, ...errors(401, 403, 404) },
      },
    },
    '/v1/alerts/settings': {
      get: {
        summary: 'daily report schedule and the next report time (admin key)',
        security,
        responses: { '200': json(settingsSchema, 'the settings'), ...errors(401, 403) },
      },
      put: {
        summary: 'change the report time (HH:MM local) and/or business days only (admin key)',
        security,
        requestBody: body(alertSettingsSchema),
        responses: { '200': json(settingsSchema, 'the new settings'), ...errors(400, 401, 403) },
      },
    },
    '/v1/alerts/test': {
      post: {
        summary: 'send a test message to every webhook now and wait for the outcomes (admin key)',
        security,
        responses: {
          '200': json(z.object({ ok: z.boolean(), deliveries: z.array(outcomeSchema) }), 'one outcome per webhook'),
          ...errors(401, 403, 409),
        },
      },
    },
    '/v1/alerts/deliveries': {
      get: {
        summary: 'delivery log of alerts, reports and tests, newest first (admin key)',
        security,
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
          },
        ],
        responses: {
          '200': json(z.object({ deliveries: z.array(deliverySchema) }), 'the log'),
          ...errors(400, 401, 403),
        },
      },
    },
  };
}
