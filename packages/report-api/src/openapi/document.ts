import { batchSchema, denyListSchema, denyEntrySchema } from '@watchpost/middleware/protocol';
import { z } from 'zod';
import { alertOpenApiPaths } from '../alerts/openapi.js';
import { importOpenApiPaths } from '../importers/openapi.js';
import { siteOpenApiPaths } from '../sites/openapi.js';
import { drillDownOpenApiPaths } from '../queries/openapi.js';
import { caseOpenApiPaths } from '../cases/openapi.js';
import { newDenyEntrySchema } from '../denylist/routes.js';
import { dailyReportSchema } from '../reports/schema.js';
import { ingestStatsSchema } from '../ingest/stats-route.js';
import { withOperationIds } from './operation-ids.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonOrCsvResponse,
  jsonResponse,
  publicSecurity,
  tableParameters,
} from './parts.js';

const ingestResultSchema = z.object({
  batchId: z.string(),
  accepted: z.number().int(),
  rejected: z.number().int().describe('events refused one by one (the others are stored)'),
  duplicate: z.boolean(),
  details: z
    .array(z.object({ index: z.number().int(), path: z.string(), message: z.string() }))
    .describe('the first 20 rejected events'),
});

/**
 * The OpenAPI 3.1 document of the report API. Every schema in it comes from a zod schema
 * (`z.toJSONSchema`); only the list of paths is written here. Every operation needs a site key
 * unless it says `security: []`; each gets an `operationId` from its method and path.
 *
 * @example
 * const doc = openApiDocument(); // serve as /openapi.json
 */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Watchpost report API',
      version: '0.1.0',
      description: 'Ingest of events and logs, the deny list, daily posture reports and alerts of a site.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'the report API that serves this document at /openapi.json' }],
    security: bearerSecurity,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ingest or admin key of a site' } },
    },
    paths: withOperationIds({
      '/healthz': {
        get: {
          summary: 'liveness (no key)',
          security: publicSecurity,
          responses: { '200': jsonResponse(z.object({ ok: z.literal(true) }), 'up') },
        },
      },
      '/v1/events': {
        post: {
          summary:
            'ingest a batch of events (ingest or admin key); JSON or gzip JSON, 5 MB sent / 50 MB decompressed; ' +
            '400 only for a broken envelope, invalid events are rejected one by one in the 202',
          security: bearerSecurity,
          requestBody: jsonBody(batchSchema),
          responses: {
            '202': jsonResponse(ingestResultSchema, 'stored, or already stored (duplicate: true)'),
            ...errorResponses(400, 401, 403, 413, 415),
          },
        },
      },
      '/v1/ingest/stats': {
        get: {
          summary: 'batches, stored, rejected and sender-dropped events of the site, per source (admin key)',
          security: bearerSecurity,
          parameters: [
            {
              name: 'from',
              in: 'query',
              required: false,
              schema: { type: 'integer' },
              description: 'epoch ms, inclusive; default to - 24 h',
            },
            {
              name: 'to',
              in: 'query',
              required: false,
              schema: { type: 'integer' },
              description: 'epoch ms, exclusive; default now',
            },
          ],
          responses: { '200': jsonResponse(ingestStatsSchema, 'the counts'), ...errorResponses(400, 401, 403) },
        },
      },
      '/v1/denylist': {
        get: {
          summary: 'the served deny list (ingest or admin key); strong ETag, 304 on If-None-Match',
          security: bearerSecurity,
          responses: {
            '200': jsonResponse(denyListSchema, 'the list'),
            '304': { description: 'unchanged' },
            ...errorResponses(401),
          },
        },
        post: {
          summary: 'add an IP or CIDR (admin key); recorded in the audit log with the key label',
          security: bearerSecurity,
          requestBody: jsonBody(newDenyEntrySchema),
          responses: {
            '201': jsonResponse(denyEntrySchema, 'the new entry'),
            ...errorResponses(400, 401, 403, 413, 415),
          },
        },
      },
      '/v1/denylist/{id}': {
        delete: {
          summary: 'remove an entry (admin key); recorded in the audit log with the key label',
          security: bearerSecurity,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'reason',
              in: 'query',
              required: false,
              schema: { type: 'string', maxLength: 500 },
              description: 'why, for the audit log (one printable line)',
            },
          ],
          responses: { '204': { description: 'removed' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      '/v1/reports/daily': {
        get: {
          summary: 'the daily posture report of a site-local day (admin key)',
          security: bearerSecurity,
          parameters: [
            {
              name: 'date',
              in: 'query',
              required: true,
              schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            },
            ...tableParameters,
          ],
          responses: { '200': jsonOrCsvResponse(dailyReportSchema, 'the report'), ...errorResponses(400, 401, 403) },
        },
      },
      ...alertOpenApiPaths(),
      ...importOpenApiPaths(),
      ...siteOpenApiPaths(),
      ...drillDownOpenApiPaths(),
      ...caseOpenApiPaths(),
    }),
  };
}
