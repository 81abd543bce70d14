import { batchEnvelopeSchema } from '@watchpost/middleware/protocol';
import { postBatch } from './post-batch.js';

/** Options of {@link consumeEventBatches}. */
export interface ConsumeOptions {
  reportApiUrl: URL | null;
  ingestKey: string | null;
  fetch: typeof fetch;
  log?: (message: string) => void;
}

/**
 * Delay before a retried message is delivered again: 10 s, 20 s, 40 s ... capped at 10 minutes.
 *
 * @example
 * message.retry({ delaySeconds: retryDelaySeconds(message.attempts) }); // attempts 3 → 40
 */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The queue consumer: forwards each message (one event batch) to the report API. Stored → ack;
 * report API down or overloaded → `message.retry()` with a growing delay (the same `batchId`, so the
 * API stores it once); a batch the API can never accept → ack and log (retrying cannot help; the
 * queue's dead-letter queue catches what runs out of retries).
 *
 * @example
 * export default { queue: (batch, env) => consumeEventBatches(batch, { reportApiUrl, ingestKey, fetch }) };
 */
export async function consumeEventBatches(
  batch: MessageBatch<unknown>,
  { reportApiUrl, ingestKey, fetch, log = console.warn }: ConsumeOptions,
): Promise<void> {
  if (!reportApiUrl || !ingestKey) {
    // Not configured (yet): keep the events in the queue rather than lose them.
    log('watchpost: REPORT_API_URL or INGEST_KEY missing; event batches retried later');
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  await Promise.all(
    batch.messages.map(async (message) => {
      // Only the envelope: the report API checks each event and stores the valid ones, so one bad
      // event (say, queued by an older version) does not cost the others of its batch.
      const parsed = batchEnvelopeSchema.safeParse(message.body);
      if (!parsed.success) {
        log(`watchpost: dropped a queue message that is not an event batch (${message.id})`);
        message.ack();
        return;
      }
      const result = await postBatch(parsed.data, { reportApiUrl, ingestKey, fetch });
      if (result.outcome === 'retry') {
        // A rate-limited API (429) says when: honour it, within the queue's 1..600 s of delay.
        const delaySeconds =
          result.retryAfterMs === undefined
            ? retryDelaySeconds(message.attempts)
            : Math.min(600, Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
        message.retry({ delaySeconds });
      } else {
        if (result.rejected !== undefined) {
          log(
            `watchpost: report API refused ${result.rejected} event(s) of batch ${parsed.data.batchId}; the ` +
              `others are stored`,
          );
        }
        if (result.outcome === 'rejected') {
          log(`watchpost: report API rejected batch ${parsed.data.batchId}: ${result.reason ?? result.status}`);
        }
        message.ack();
      }
    }),
  );
}
