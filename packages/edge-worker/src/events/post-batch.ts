import { gzip } from '@watchpost/middleware';
import type { EventBatch } from '@watchpost/middleware/protocol';

/** Options of {@link postBatch}. */
export interface PostBatchOptions {
  reportApiUrl: URL;
  ingestKey: string;
  fetch: typeof fetch;
  /** Longest wait for the report API, in ms (default 15000). */
  timeoutMs?: number;
}

/** `stored`: the API took it (or had it already); `retry`: try again later; `rejected`: never will. */
export type PostOutcome = { outcome: 'stored' | 'retry' | 'rejected'; status: number; reason?: string };

// 408, 425 and 429 say "later"; 401/403 usually mean a key being rotated, so they are retried too
// (the queue's max_retries and dead-letter queue bound that). Other 4xx will never succeed.
const RETRYABLE_4XX = new Set([401, 403, 408, 425, 429]);

/**
 * Sends one batch to `POST ${reportApiUrl}/v1/events`, gzip-compressed, with the ingest key (a path
 * of `reportApiUrl` is kept as a prefix, as the middleware's forwarder keeps it). The
 * batch keeps its `batchId`, so a retry is stored once. Never throws.
 *
 * @example
 * const { outcome } = await postBatch(batch, { reportApiUrl, ingestKey, fetch });
 * if (outcome === 'retry') message.retry();
 */
export async function postBatch(
  batch: EventBatch,
  { reportApiUrl, ingestKey, fetch, timeoutMs = 15_000 }: PostBatchOptions,
): Promise<PostOutcome> {
  try {
    const body = await gzip(JSON.stringify({ ...batch, sentAt: Date.now() }));
    const response = await fetch(`${reportApiUrl.href.replace(/\/+$/, '')}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ingestKey}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return { outcome: 'stored', status: response.status };
    if (response.status >= 500 || RETRYABLE_4XX.has(response.status)) {
      return { outcome: 'retry', status: response.status, reason: `report API answered ${response.status}` };
    }
    return { outcome: 'rejected', status: response.status, reason: `report API answered ${response.status}` };
  } catch (error) {
    return { outcome: 'retry', status: 0, reason: `request failed: ${(error as Error).message}` };
  }
}
