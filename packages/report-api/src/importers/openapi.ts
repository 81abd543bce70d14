import { z } from 'zod';
import { bearerSecurity, errorResponses as errors, jsonResponse as json } from '../openapi/parts.js';
import { IMPORT_FORMATS } from './formats.js';

/** The JSON summary of an import (`ImportSummary`) as a zod schema, for the OpenAPI document. */
export const importSummarySchema = z.object({
  files: z.number().int(),
  linesRead: z.number().int(),
  imported: z.number().int().describe('events stored by this import'),
  skipped: z.number().int(),
  skippedByReason: z
    .record(z.string(), z.number().int())
    .describe('skipped lines by kind: truncated, not-json, bad-timestamp, bad-ip, line-too-long, ...'),
  duplicates: z.number().int().describe('events of batches already stored (the same lines imported before)'),
  seconds: z.number(),
});

/** The summary of a GuardDuty import (`FindingsSummary`). */
const findingsSummarySchema = z.object({
  files: z.number().int(),
  findings: z.number().int(),
  rows: z.number().int().describe('one per finding and remote IP'),
  withoutIp: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
});

/** The summary of a threat-list import (`IpListSummary`). */
const ipListSummarySchema = z.object({
  source: z.string(),
  entries: z.number().int(),
  skipped: z.number().int(),
  skippedLines: z.array(z.number().int()),
  truncated: z.boolean(),
});

/**
 * The OpenAPI path of `importRoutes`, for the report API's `/openapi.json`.
 *
 * @example
 * const doc = { paths: { ...otherPaths, ...importOpenApiPaths() } };
 */
export function importOpenApiPaths() {
  return {
    '/v1/import': {
      post: {
        summary:
          'import a log into the site (admin key): the body is the log, plain or gzip, streamed; importing it ' +
          'again adds nothing',
        security: bearerSecurity,
        parameters: [
          {
            name: 'format',
            in: 'query',
            required: true,
            schema: { type: 'string', enum: [...Object.keys(IMPORT_FORMATS), 'guardduty', 'iplist'] },
            description:
              'a log format, or guardduty (GuardDuty findings: JSON lines or a {"findings": [...]} document) or ' +
              'iplist (a threat list: one IP or CIDR per line; needs source)',
          },
          {
            name: 'source',
            in: 'query',
            required: false,
            description: 'iplist only: the name of the list to replace',
            schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
          },
          {
            name: 'loginPath',
            in: 'query',
            required: false,
            description:
              'repeatable: POST:/login or /login; 401/403 or refused by WAF = failed login, other < 500 = success; ' +
              'none for 5xx, status 0 and AWS WAF ALLOW/COUNT (no origin status)',
            schema: { type: 'array', items: { type: 'string', maxLength: 2048 } },
          },
          {
            name: 'sampleRate',
            in: 'query',
            required: false,
            description:
              'share of allowed requests below 400 whose raw event is stored (blocks, 4xx, 5xx and logins always ' +
              'are); report counts stay exact. Default 1',
            schema: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 1 },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'text/plain': { schema: { type: 'string', description: 'log lines' } },
            'application/octet-stream': {
              schema: { type: 'string', format: 'binary', description: 'the log, or the log gzipped' },
            },
          },
        },
        responses: {
          '200': json(
            z.union([importSummarySchema, findingsSummarySchema, ipListSummarySchema]),
            'what was imported and what was skipped, by reason (its shape depends on the format)',
          ),
          ...errors(400, 401, 403, 409, 413, 415),
        },
      },
    },
  };
}
