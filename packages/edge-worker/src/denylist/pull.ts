import { denyListSchema } from '@watchpost/middleware/protocol';
import { DENYLIST_KEY, parseStoredDenyList, type StoredDenyList } from './stored.js';

/** Options of {@link pullDenyList}. */
export interface PullDenyListOptions {
  kv: KVNamespace;
  reportApiUrl: URL;
  ingestKey: string;
  fetch: typeof fetch;
  now?: () => number;
  /** Longest wait for the report API, in ms (default 10000). */
  timeoutMs?: number;
}

/** What a pull did: stored a new list, found it unchanged (304), or failed and kept the old one. */
export type PullResult =
  | { outcome: 'updated'; version: string; entries: number; stored: StoredDenyList }
  | { outcome: 'unchanged'; version: string }
  | { outcome: 'failed'; reason: string };

/**
 * Pulls `GET /v1/denylist` with the stored ETag and writes a changed list to KV. A 304 writes
 * nothing (KV writes are metered); any failure keeps the list already in KV.
 *
 * @example
 * const result = await pullDenyList({ kv: env.DENYLIST, reportApiUrl: new URL(env.REPORT_API_URL),
 *   ingestKey: env.INGEST_KEY, fetch });
 */
export async function pullDenyList({
  kv,
  reportApiUrl,
  ingestKey,
  fetch,
  now = Date.now,
  timeoutMs = 10_000,
}: PullDenyListOptions): Promise<PullResult> {
  let stored: StoredDenyList | null = null;
  try {
    stored = parseStoredDenyList(await kv.get(DENYLIST_KEY, 'json'));
  } catch {
    // An unreadable record is replaced by the next full list: ask without an ETag.
  }
  const headers: Record<string, string> = { authorization: `Bearer ${ingestKey}`, accept: 'application/json' };
  if (stored?.etag) headers['if-none-match'] = stored.etag;

  let response: Response;
  try {
    response = await fetch(`${reportApiUrl.href.replace(/\/+$/, '')}/v1/denylist`, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { outcome: 'failed', reason: `request failed: ${(error as Error).message}` };
  }
  if (response.status === 304 && stored) {
    await response.body?.cancel();
    return { outcome: 'unchanged', version: stored.version };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { outcome: 'failed', reason: `report API answered ${response.status}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { outcome: 'failed', reason: 'report API answered a body that is not JSON' };
  }
  const list = denyListSchema.safeParse(body);
  if (!list.success) return { outcome: 'failed', reason: 'report API answered a body that is not a deny list' };

  // A server without ETags answers 200 every time: an unchanged version costs no KV write either.
  if (stored && stored.version === list.data.version) return { outcome: 'unchanged', version: stored.version };

  const record: StoredDenyList = { ...list.data, etag: response.headers.get('etag'), fetchedAt: now() };
  try {
    await kv.put(DENYLIST_KEY, JSON.stringify(record));
  } catch (error) {
    return { outcome: 'failed', reason: `KV write failed: ${(error as Error).message}` };
  }
  return { outcome: 'updated', version: record.version, entries: record.entries.length, stored: record };
}
