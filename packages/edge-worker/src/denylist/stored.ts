import { denyListSchema, type DenyList } from '@watchpost/middleware/protocol';

/** The KV key under which the cron trigger stores the deny list. */
export const DENYLIST_KEY = 'denylist:v1';

/** What the cron trigger stores in KV: the report API's list plus the ETag and when it was fetched. */
export interface StoredDenyList extends DenyList {
  etag: string | null;
  fetchedAt: number;
}

/**
 * Checks a value read from KV; returns null for anything that is not a stored deny list.
 *
 * @example
 * const stored = parseStoredDenyList(await env.DENYLIST.get(DENYLIST_KEY, 'json'));
 */
export function parseStoredDenyList(value: unknown): StoredDenyList | null {
  if (typeof value !== 'object' || value === null) return null;
  const { etag, fetchedAt } = value as { etag?: unknown; fetchedAt?: unknown };
  if ((etag !== null && typeof etag !== 'string') || typeof fetchedAt !== 'number') return null;
  const list = denyListSchema.safeParse(value);
  return list.success ? { ...list.data, etag, fetchedAt } : null;
}
