import * as z from 'zod/mini';

/** Where a deny-list entry came from. */
export const denySourceSchema = z.enum(['manual', 'auto', 'import']);

/**
 * One entry of the served deny list (`GET /v1/denylist`). `value` is an IP or a CIDR of
 * either family; `expiresAt` is epoch ms or null for no expiry.
 *
 * @example
 * denyEntrySchema.parse({ id: 'd_1', value: '198.51.100.0/24', reason: 'scanner', source: 'manual',
 *   createdAt: Date.now(), expiresAt: null });
 */
export const denyEntrySchema = z.object({
  id: z.string(),
  value: z.string().check(z.minLength(2), z.maxLength(64)),
  reason: z.string().check(z.maxLength(500)),
  source: denySourceSchema,
  createdAt: z.int(),
  expiresAt: z.nullable(z.int()),
});

/** Most clients a served allow list holds. */
export const MAX_SERVED_ALLOW = 10_000;

/** The body of `GET /v1/denylist`. */
export const denyListSchema = z.object({
  version: z.string().check(z.describe('changes whenever the served list changes; also sent as the ETag')),
  entries: z.array(denyEntrySchema),
  allow: z.optional(
    z
      .array(z.string().check(z.minLength(2), z.maxLength(64)))
      .check(
        z.maxLength(MAX_SERVED_ALLOW),
        z.describe('clients a triage allowed (IPs or CIDR blocks): never refused, whatever else matches'),
      ),
  ),
});

export type DenySource = z.infer<typeof denySourceSchema>;
export type DenyEntry = z.infer<typeof denyEntrySchema>;
export type DenyList = z.infer<typeof denyListSchema>;
