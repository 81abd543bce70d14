import { batchSchema, denyListSchema, denyEntrySchema } from '@watchpost/middleware/protocol';
import { z } from 'zod';
import { alertOpenApiPaths } from '../alerts/openapi.js';
import { importOpenApiPaths } from '../importers/openapi.js';
import { newDenyEntrySchema } from '../denylist/routes.js';
import { dailyReportSchema } from '../reports/schema.js';

const errorSchema = z.object({
  error: z.string().describe('what went wrong and what to do about it'),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const ingestResultSchema = z.object({ batchId: z.string(), accepted: z.number().int(), duplicate: z.boolean() });

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' });
const json = (s: z.ZodType, description: string, io: 'input' | 'output' = 'output') => ({ description, content: { 'application/json': { schema: schema(s, io) } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), json(errorSchema, 'error with an actionable message')]));
const bearer = [{ bearer: [] }];

/**
 * The OpenAPI 3.0 document of the report API. Every schema in it comes from a zod schema
 * (`z.toJSONSchema`); only the list of paths is written here.
 *
 * @example
 * const doc = openApiDocument(); // serve as /openapi.json
 */
export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: { title: 'Watchpost report API', version: '0.1.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ingest or admin key of a site' } } },
    paths: {
      '/healthz': { get: { summary: 'liveness', responses: { '200': json(z.object({ ok: z.literal(true) }), 'up') } } },
      '/v1/events': {
        post: {
          summary: 'ingest a batch of events (ingest or admin key); JSON or gzip JSON, 5 MB sent / 50 MB decompressed',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: schema(batchSchema, 'input') } } },
          responses: { '202': json(ingestResultSchema, 'stored, or already stored (duplicate: true)'), ...errors(400, 401, 403, 413, 415) },
        },
      },
      '/v1/denylist': {
        get: {
          summary: 'the served deny list (ingest or admin key); strong ETag, 304 on If-None-Match',
          security: bearer,
          responses: { '200': json(denyListSchema, 'the list'), '304': { description: 'unchanged' }, ...errors(401) },
        },
        post: {
          summary: 'add an IP or CIDR (admin key)',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: schema(newDenyEntrySchema, 'input') } } },
          responses: { '201': json(denyEntrySchema, 'the new entry'), ...errors(400, 401, 403) },
        },
      },
      '/v1/denylist/{id}': {
        delete: {
          summary: 'remove an entry (admin key)',
          security: bearer,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'removed' }, ...errors(401, 403, 404) },
        },
      },
      '/v1/reports/daily': {
        get: {
          summary: 'the daily posture report of a site-local day (admin key)',
          security: bearer,
          parameters: [{ name: 'date', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }],
          responses: { '200': json(dailyReportSchema, 'the report'), ...errors(400, 401, 403) },
        },
      },
      ...alertOpenApiPaths(),
      ...importOpenApiPaths(),
    },
  };
}
