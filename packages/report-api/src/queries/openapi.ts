import {
  bearerSecurity as security,
  errorResponses as errors,
  jsonOrCsvResponse,
  tableParameters,
} from '../openapi/parts.js';
import { botDetailSchema, countryDetailSchema, ipDetailSchema, pathDetailSchema } from './schema.js';

const siteId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'the key’s site' };
const date = {
  name: 'date',
  in: 'query',
  required: false,
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  description: 'site-local day; default today',
};
const query = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: true,
  schema,
  description,
});

/**
 * The OpenAPI paths of `drillDownRoutes` (one IP, country, path or bot over a day), for `/openapi.json`.
 *
 * @example
 * const doc = { paths: { ...otherPaths, ...drillDownOpenApiPaths() } };
 */
export function drillDownOpenApiPaths(): Record<string, object> {
  const get = (summary: string, parameter: object, schema: Parameters<typeof jsonOrCsvResponse>[0]) => ({
    get: {
      summary: `${summary} (admin key of the site): the numbers of the dashboard's page`,
      security,
      parameters: [siteId, parameter, date, ...tableParameters],
      responses: { '200': jsonOrCsvResponse(schema, 'the drill-down'), ...errors(400, 401, 403, 404) },
    },
  });
  return {
    '/v1/sites/{id}/ip': get(
      'one client IP over a day',
      query('ip', 'an IPv4 or IPv6 address', { type: 'string', maxLength: 64 }),
      ipDetailSchema,
    ),
    '/v1/sites/{id}/country': get(
      'one country over a day',
      query('code', 'ISO 3166 alpha-2 code, or `unknown` for clients without one', {
        type: 'string',
        pattern: '^([A-Z]{2}|unknown)$',
      }),
      countryDetailSchema,
    ),
    '/v1/sites/{id}/path': get(
      'one request path over a day',
      query('path', 'the request path', { type: 'string', minLength: 1, maxLength: 2048 }),
      pathDetailSchema,
    ),
    '/v1/sites/{id}/bot': get(
      'one bot by name over a day',
      query('name', 'the bot name, as in the report’s bots by name', { type: 'string', minLength: 1, maxLength: 64 }),
      botDetailSchema,
    ),
  };
}
