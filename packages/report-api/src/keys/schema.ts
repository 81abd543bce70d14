import { z } from 'zod';
import { MAX_KEY_LABEL } from '../db/keys.js';
import { MAX_REASON_LENGTH } from '../denylist/reason.js';
import { auditReasonProblem, labelProblem } from '../audit/text.js';

/** A reason for the audit log: optional, one printable line. */
export const reasonField = z
  .string()
  .max(MAX_REASON_LENGTH)
  .default('')
  .refine((reason) => auditReasonProblem(reason) === null, {
    error: (issue) => auditReasonProblem(String(issue.input)) ?? 'invalid reason',
  })
  .describe('why, for the audit log: one printable line (control, bidi and lone surrogate characters refused)');

/**
 * Body of `POST /v1/sites/{id}/keys`.
 *
 * @example
 * newKeySchema.parse({ label: 'alice', kind: 'admin' });
 */
export const newKeySchema = z
  .object({
    label: z
      .string()
      .min(1)
      .max(MAX_KEY_LABEL)
      .refine((label) => labelProblem(label) === null, {
        error: (issue) => labelProblem(String(issue.input)) ?? 'invalid label',
      })
      .describe('who or what holds the key, e.g. alice or edge-tokyo: one printable line'),
    kind: z.enum(['admin', 'ingest']).default('admin').describe('admin manages the site; ingest sends events'),
    reason: reasonField,
  })
  .meta({ examples: [{ label: 'alice', kind: 'admin', reason: 'on call from December' }] });

/** Body of `POST /v1/sites/{id}/keys/{keyId}/rotate`. */
export const rotateKeySchema = z.object({ reason: reasonField }).meta({ examples: [{ reason: 'leaked in a CI log' }] });

/** A key as listed: never its secret. */
export const keyInfoSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  role: z.enum(['admin', 'ingest']),
  label: z.string(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable().describe('epoch ms, to the minute; null when unused'),
});

/** A new key: its secret is in this answer only. */
export const createdKeySchema = z.object({
  key: keyInfoSchema,
  secret: z.string().describe('the key in clear text, shown once: only its hash is stored'),
  rotates: z.string().optional().describe('with rotate: the key this one replaces, valid until revoked'),
});
