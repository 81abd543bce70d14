import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventStore } from '../db/store.js';
import { validateBatch } from '../ingest/validate.js';
import type { IngestFn, IngestOutcome } from './stream.js';

/** The event as ingest would store it (normalised), or `null` when ingest validation refuses it. */
function validated(batch: EventBatch, event: WatchpostEvent): WatchpostEvent | null {
  const checked = validateBatch({ ...batch, events: [event] });
  return checked.ok && checked.batch.events.length === 1 ? checked.batch.events[0]! : null;
}

/**
 * The import's way into a store: each event through the same validation as `POST /v1/events`
 * (without its clock window: an import brings old logs), then `ingestBatch`. Parsers only emit
 * valid events, so a refused one is an anomaly; rather than losing 1,000 good lines for one bad
 * one, the refused events are dropped (reported as `rejected`, counted by the summary as
 * `invalid-event`) and the rest is stored under the same batch id.
 *
 * @example
 * const summary = await importFiles(['alb.log.gz'], { siteId, format: 'alb', ingest: storeIngest(store) });
 */
export function storeIngest(store: Pick<EventStore, 'ingestBatch'>): IngestFn {
  return async function ingestImportedBatch(siteId: string, batch: EventBatch): Promise<IngestOutcome> {
    const events: WatchpostEvent[] = [];
    for (const event of batch.events) {
      const valid = validated(batch, event);
      if (valid !== null) events.push(valid);
    }
    const rejected = batch.events.length - events.length;
    if (events.length === 0) return { duplicate: false, ...(rejected > 0 ? { rejected } : {}) };
    const { duplicate } = await store.ingestBatch(siteId, { ...batch, events });
    return rejected > 0 ? { duplicate, rejected } : { duplicate };
  };
}
