import type { EventBatch } from '@watchpost/middleware/protocol';
import type { EventStore } from '../db/store.js';
import { validateBatch } from '../ingest/validate.js';
import type { IngestFn, IngestOutcome } from './stream.js';

/**
 * The import's way into a store: the same validation as `POST /v1/events`, then `ingestBatch`.
 * Parsers only emit valid events, so a refused batch is an anomaly; rather than losing 1,000 good
 * lines for one bad one, the refused events are dropped (reported as `rejected`, counted by the
 * summary as `invalid-event`) and the rest is stored under the same batch id.
 *
 * @example
 * const summary = await importFiles(['alb.log.gz'], { siteId, format: 'alb', ingest: storeIngest(store) });
 */
export function storeIngest(store: Pick<EventStore, 'ingestBatch'>): IngestFn {
  return async function ingestImportedBatch(siteId: string, batch: EventBatch): Promise<IngestOutcome> {
    const checked = validateBatch(batch);
    if (checked.ok) return { duplicate: (await store.ingestBatch(siteId, checked.batch)).duplicate };
    const events = batch.events.filter((event) => validateBatch({ ...batch, events: [event] }).ok);
    const rejected = batch.events.length - events.length;
    if (events.length === 0) return { duplicate: false, rejected };
    const { duplicate } = await store.ingestBatch(siteId, { ...batch, events });
    return { duplicate, rejected };
  };
}
