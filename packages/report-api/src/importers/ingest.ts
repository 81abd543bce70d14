import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventStore } from '../db/store.js';
import { validateBatch } from '../ingest/validate.js';
import type { IngestFn, IngestOutcome } from './stream.js';
import { surelyValid } from '../ingest/valid-event.js';

/** The event as ingest would store it (normalised), or `null` when ingest validation refuses it. */
function validated(batch: EventBatch, event: WatchpostEvent): WatchpostEvent | null {
  const checked = validateBatch({ ...batch, events: [event] });
  return checked.ok && checked.batch.events.length === 1 ? checked.batch.events[0]! : null;
}

/** Options of {@link storeIngest}. */
export interface StoreIngestOptions {
  /**
   * Share of allowed requests answered below 400 whose raw event is stored, in (0, 1]; each one kept
   * carries this rate, so drill-downs scale it back up. Every block, count, 4xx, 5xx, login attempt and
   * status 0 is kept, as the middleware samples, and every impersonator's request (the report lists
   * impersonators by address from the raw events; the middleware blocks them by default). The
   * rollups (every count of the report) are built from all the events, so they are exact whatever
   * the rate. Default 1: every raw event is stored.
   */
  sampleRate?: number;
  /** Random numbers in [0, 1) for the sampling. Default `Math.random`. */
  random?: () => number;
  /**
   * Status 0 means "no status known" rather than "the client went away": AWS WAF logs, whose allowed
   * requests all carry 0. Those are then sampled like allowed 2xx, not kept like abandoned requests.
   * Default false.
   */
  statusUnknown?: boolean;
}

/**
 * The middleware's sampling rule: the rate an event is stored at, or 0 when its raw row is left out.
 *
 * @example
 * const keep = importSampler(0.1, Math.random);
 * keep(event); // 1 for a 404, 0.1 or 0 for an allowed 200
 */
export function importSampler(
  sampleRate: number,
  random: () => number,
  statusUnknown = false,
): (event: WatchpostEvent) => number {
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1))
    throw new TypeError(`sampleRate must be a number in (0, 1], got ${String(sampleRate)}`);
  return function sampleImported(event) {
    if (sampleRate === 1 || event.action !== 'allow' || event.status >= 400 || event.login) return 1;
    if (event.botCategory === 'impersonator') return 1;
    if (event.status === 0 && !statusUnknown) return 1;
    return random() < sampleRate ? sampleRate : 0;
  };
}

/**
 * The import's way into a store: the batch through the same validation as `POST /v1/events`
 * (without its clock window: an import brings old logs), then `ingestBatch`. Parsers only emit
 * valid events, so a refused one is an anomaly; rather than losing 1,000 good lines for one bad
 * one, the refused events are dropped (reported as `rejected`, counted by the summary as
 * `invalid-event`) and the rest is stored under the same batch id. With a `sampleRate` below 1 only
 * the sampled raw events are stored, while the rollups count every valid event (`rollupEvents`).
 *
 * @example
 * const summary = await importFiles(['alb.log.gz'], { siteId, format: 'alb', ingest: storeIngest(store) });
 */
export function storeIngest(
  store: Pick<EventStore, 'ingestBatch'>,
  { sampleRate = 1, random = Math.random, statusUnknown = false }: StoreIngestOptions = {},
): IngestFn {
  const sample = importSampler(sampleRate, random, statusUnknown);
  return async function ingestImportedBatch(siteId: string, batch: EventBatch): Promise<IngestOutcome> {
    // The quick check passes what parsers emit; anything else goes through the full validation.
    const valid: WatchpostEvent[] = [];
    for (const event of batch.events) {
      const checked = surelyValid(event) ? event : validated(batch, event);
      if (checked !== null) valid.push(checked);
    }
    const rejected = batch.events.length - valid.length;
    const outcome = (duplicate: boolean): IngestOutcome => (rejected > 0 ? { duplicate, rejected } : { duplicate });
    if (valid.length === 0) return outcome(false);
    if (sampleRate === 1)
      return outcome((await store.ingestBatch(siteId, { ...batch, events: valid }, undefined, { rejected })).duplicate);
    const kept: WatchpostEvent[] = [];
    for (const event of valid) {
      const rate = sample(event);
      if (rate === 1) kept.push(event);
      else if (rate > 0) kept.push({ ...event, sampleRate: rate });
    }
    const stored = await store.ingestBatch(siteId, { ...batch, events: kept }, undefined, {
      rejected,
      rollupEvents: valid,
    });
    return outcome(stored.duplicate);
  };
}
