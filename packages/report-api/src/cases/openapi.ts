import { z } from 'zod';
import { CASE_KINDS, CASE_STATES, MAX_CASE_PAGE, type Case } from '../db/cases.js';
import {
  bearerSecurity as security,
  errorResponses as errors,
  jsonBody as body,
  jsonOrCsvResponse,
  jsonResponse as json,
  tableParameters,
} from '../openapi/parts.js';
import { sitePoliciesSchema } from '../db/policies.js';
import { caseDecisionSchema } from './decide.js';
import { bulkDecisionSchema } from './routes.js';

const kind = z.enum(CASE_KINDS);
const actor = z.object({
  kind: z.enum(['key', 'cli', 'dashboard', 'policy']),
  label: z.string(),
  keyId: z.string().nullable(),
});

/** A case as the API answers it (checked against the `Case` type at compile time). */
export const caseSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  client: z.string().describe('an IP, or an IPv6 /64 as the reports group it'),
  country: z.string().nullable(),
  state: z.enum(CASE_STATES),
  kinds: z.array(kind),
  evidence: z
    .record(z.string(), z.object({ kinds: z.array(kind), reasons: z.array(z.string()), requests: z.number() }))
    .describe('site-local day → what the report saw; reasons are traffic text: escape them to show them'),
  requests: z.number(),
  firstDay: z.string(),
  lastDay: z.string(),
  updatedAt: z.number().int(),
  decision: z
    .object({
      actor,
      at: z.number().int(),
      reason: z.string(),
      expiresAt: z.number().int().nullable().describe('deny decisions: when the entry ends; null for good'),
      day: z.string(),
      kinds: z.array(kind),
      ticketUrl: z.string().nullable().describe('ticket decisions: the ticket in the tracker'),
    })
    .nullable(),
  reopenedAt: z.number().int().nullable(),
});

type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches: Equal<z.infer<typeof caseSchema>, Case> = true;
void matches;

const siteId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'the key’s site' };
const caseId = { name: 'caseId', in: 'path', required: true, schema: { type: 'string' } };
const query = (name: string, schema: Record<string, unknown>, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});

/**
 * The OpenAPI paths of `caseRoutes`, for `/openapi.json`.
 *
 * @example
 * const doc = { paths: { ...otherPaths, ...caseOpenApiPaths() } };
 */
export function caseOpenApiPaths(): Record<string, object> {
  return {
    '/v1/sites/{id}/cases': {
      get: {
        summary: 'triage cases of the site, newest update first (admin key of the site); today’s evidence first',
        security,
        parameters: [
          siteId,
          query('state', { type: 'string' }, `comma-separated states (${CASE_STATES.join(', ')}); default new`),
          query('kind', { type: 'string', enum: [...CASE_KINDS] }, 'cases with this kind of evidence'),
          query('country', { type: 'string', pattern: '^([A-Z]{2}|unknown)$' }, 'clients of this country'),
          query('limit', { type: 'integer', minimum: 1, maximum: MAX_CASE_PAGE, default: 100 }, 'most cases'),
          query('refresh', { type: 'string', enum: ['0', '1'] }, '0: skip folding in today’s evidence'),
          ...tableParameters,
        ],
        responses: {
          '200': jsonOrCsvResponse(z.object({ cases: z.array(caseSchema) }), 'the cases (as CSV: ?table=cases)'),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/v1/sites/{id}/cases/refresh': {
      post: {
        summary: 'fold a day’s evidence into the cases (admin key of the site): new cases, updates, reopenings',
        security,
        parameters: [siteId, query('date', { type: 'string' }, 'site-local day YYYY-MM-DD; default today')],
        responses: {
          '200': json(
            z.object({
              date: z.string(),
              created: z.number(),
              updated: z.number(),
              reopened: z.number(),
              autoDenied: z.number().describe('open cases an auto-deny policy of the site denied'),
            }),
            'what changed',
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/v1/sites/{id}/cases/decisions': {
      post: {
        summary: 'one decision for up to 500 cases (admin key of the site); each is in the audit log',
        security,
        parameters: [siteId],
        requestBody: body(bulkDecisionSchema),
        responses: {
          '200': json(
            z.object({
              decided: z.array(z.string()),
              missing: z.array(z.string()),
              failed: z
                .array(z.object({ caseId: z.string(), error: z.string() }))
                .describe('tickets the tracker refused'),
            }),
            'what was decided',
          ),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    '/v1/sites/{id}/policies': {
      get: {
        summary: 'the site’s auto-deny policies (admin key of the site); none are on until set',
        security,
        parameters: [siteId],
        responses: { '200': json(sitePoliciesSchema, 'the policies'), ...errors(401, 403, 404) },
      },
      put: {
        summary:
          'set the auto-deny policies (admin key of the site): scanner-probe (a scanner user agent that probed a ' +
          'sensitive path that day), repeat-bursts (two error bursts on the same or consecutive days), intel-list ' +
          '(a client on one of the site’s threat lists that sent requests that day); they deny ' +
          'for `expiry` when cases are refreshed, recorded as decisions of the policy',
        security,
        parameters: [siteId],
        requestBody: body(sitePoliciesSchema),
        responses: { '200': json(sitePoliciesSchema, 'the policies'), ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    '/v1/sites/{id}/cases/{caseId}': {
      get: {
        summary: 'one case (admin key of the site)',
        security,
        parameters: [siteId, caseId],
        responses: { '200': json(caseSchema, 'the case'), ...errors(401, 403, 404) },
      },
    },
    '/v1/sites/{id}/cases/{caseId}/decision': {
      post: {
        summary:
          'decide a case (admin key of the site): deny (a deny-list entry for 1d, 7d, 30d or forever), allow ' +
          '(removes its deny entry), dismiss (a note; reopens on new evidence), ticket (one issue in the ' +
          'site’s tracker: 409 without one, 502 when the tracker refuses)',
        security,
        parameters: [siteId, caseId],
        requestBody: body(caseDecisionSchema),
        responses: {
          '200': json(caseSchema, 'the decided case'),
          ...errors(400, 401, 403, 404, 409, 413, 415, 502),
        },
      },
    },
  };
}
