import { z } from 'zod';
import { MAX_AUDIT_PAGE } from '../db/audit.js';
import { createdKeySchema, keyInfoSchema, newKeySchema, rotateKeySchema } from '../keys/schema.js';
import {
  bearerSecurity as security,
  errorResponses as errors,
  jsonBody as body,
  jsonOrCsvResponse,
  jsonResponse as json,
  tableParameters,
} from '../openapi/parts.js';
import { deletedSiteSchema, renameSiteSchema } from './routes.js';

const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  homeCountry: z.string().nullable(),
  createdAt: z.number().int(),
});

const auditEntrySchema = z.object({
  id: z.number().int(),
  siteId: z.string(),
  at: z.number().int().describe('epoch ms'),
  actor: z.object({
    kind: z.enum(['key', 'cli', 'dashboard', 'policy']),
    label: z.string().describe("the admin key's label, `cli`, or the dashboard user: data, escape it to show it"),
    keyId: z.string().nullable(),
  }),
  action: z.string().describe('denylist.add, denylist.remove, key.create, key.revoke, site.rename, site.delete'),
  target: z.string().describe('the id of what changed'),
  reason: z.string(),
  before: z.unknown().describe('the value before (JSON, at most 4 KB, else { truncated, length }), or null'),
  after: z.unknown().describe('the value after, bounded the same way, or null'),
});

const siteId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'the key’s site' };
const keyId = { name: 'keyId', in: 'path', required: true, schema: { type: 'string' } };
const reason = {
  name: 'reason',
  in: 'query',
  required: false,
  schema: { type: 'string', maxLength: 500 },
  description: 'why, for the audit log (one printable line)',
};

/**
 * The OpenAPI paths of `siteAdminRoutes` (keys, audit log, rename, delete), for `/openapi.json`.
 *
 * @example
 * const doc = { paths: { ...otherPaths, ...siteOpenApiPaths() } };
 */
export function siteOpenApiPaths() {
  return {
    '/v1/sites/{id}': {
      patch: {
        summary: 'rename the site (admin key of the site); recorded in the audit log',
        security,
        parameters: [siteId],
        requestBody: body(renameSiteSchema),
        responses: { '200': json(siteSchema, 'the renamed site'), ...errors(400, 401, 403, 404, 413, 415) },
      },
      delete: {
        summary:
          'delete the site and all its data in one transaction (admin key of the site); needs ?confirm= the ' +
          'site id; every key of the site stops working',
        security,
        parameters: [
          siteId,
          {
            name: 'confirm',
            in: 'query',
            required: true,
            schema: { type: 'string' },
            description: 'the site id again',
          },
          reason,
        ],
        responses: { '200': json(deletedSiteSchema, 'deleted'), ...errors(400, 401, 403, 404) },
      },
    },
    '/v1/sites/{id}/keys': {
      get: {
        summary: 'the keys of the site, without secrets (admin key of the site)',
        security,
        parameters: [siteId],
        responses: { '200': json(z.object({ keys: z.array(keyInfoSchema) }), 'the keys'), ...errors(401, 403, 404) },
      },
      post: {
        summary:
          'create a labelled admin or ingest key (admin key of the site); the secret is in this answer only; 409 ' +
          'past 100 keys',
        security,
        parameters: [siteId],
        requestBody: body(newKeySchema),
        responses: { '201': json(createdKeySchema, 'the new key'), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    '/v1/sites/{id}/keys/{keyId}/rotate': {
      post: {
        summary:
          'a new key with the kind and label of keyId (admin key of the site); the old key stays valid until ' +
          'revoked, so senders switch without downtime',
        security,
        parameters: [siteId, keyId],
        requestBody: body(rotateKeySchema),
        responses: { '201': json(createdKeySchema, 'the new key'), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    '/v1/sites/{id}/keys/{keyId}': {
      delete: {
        summary: 'revoke a key at once (admin key of the site); 409 for the last admin key',
        security,
        parameters: [siteId, keyId, reason],
        responses: { '204': { description: 'revoked' }, ...errors(400, 401, 403, 404, 409) },
      },
    },
    '/v1/sites/{id}/audit': {
      get: {
        summary: 'the audit log of the site, oldest first, in pages (admin key of the site)',
        security,
        parameters: [
          siteId,
          {
            name: 'since',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'epoch ms or ISO 8601 time (2026-12-01, 2026-12-01T09:00:00Z); default: the beginning',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE, default: 100 },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'the `next` of the previous page',
          },
          ...tableParameters,
        ],
        responses: {
          '200': jsonOrCsvResponse(
            z.object({
              entries: z.array(auditEntrySchema),
              next: z.string().nullable().describe('cursor of the next page; null on the last'),
            }),
            'one page (as CSV: ?table=entries)',
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
  };
}
