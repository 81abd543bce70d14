import { gzip, parseRetryAfter, readAnswer } from '@watchpost/middleware';
import type { EventBatch } from '@watchpost/middleware/protocol';

/** Options of {@link postBatch}. */
export interface PostBatchOptions {
  reportApiUrl: URL;
  ingestKey: string;
  fetch: typeof fetch;
  /** Longest wait for the report API, in ms (default 15000). */
  timeoutMs?: number;
}

/**
 * `stored`: the API took it (or had it already), `rejected` of its events refused one by one (the
 * 202 body's count; they are never sent again); `retry`: try again later, after `retryAfterMs` when
 * the API said (429/503 `Retry-After`); `rejected`: the batch never will be taken.
 */
export type PostOutcome = {
  outcome: 'stored' | 'retry' | 'rejected';
  status: number;
  reason?: string;
  rejected?: number;
  retryAfterMs?: number;
};

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
  batch: Omit<EventBatch, 'events'> & { events: readonly unknown[] },
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
    if (response.ok) {
      const answer = await readAnswer(response, batch.events.length, Date.now());
      const rejected = answer.kind === 'ok' ? answer.rejected : 0;
      return rejected > 0
        ? { outcome: 'stored', status: response.status, rejected }
        : { outcome: 'stored', status: response.status };
    }
    await response.body?.cancel();
    if (response.status >= 500 || RETRYABLE_4XX.has(response.status)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const outcome: PostOutcome = {
        outcome: 'retry',
        status: response.status,
        reason: `report API answered ${response.status}`,
      };
      if (retryAfterMs !== null) outcome.retryAfterMs = retryAfterMs;
      return outcome;
    }
    return { outcome: 'rejected', status: response.status, reason: `report API answered ${response.status}` };
  } catch (error) {
    return { outcome: 'retry', status: 0, reason: `request failed: ${(error as Error).message}` };
  }
}
