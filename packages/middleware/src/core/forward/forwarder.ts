import {
  MAX_BATCH_EVENTS,
  MAX_DROPPED,
  eventSourceSchema,
  isEventTs,
  type EventBatch,
  type EventSource,
} from '../../protocol/index.js';
import { readAnswer, type Answer } from './answer.js';
import { backoffDelay } from './backoff.js';
import { EventBuffer } from './event-buffer.js';
import { eventJson } from './event-json.js';
import { canGzip, gzip } from './gzip.js';
import type { EventSink } from './sink.js';
import { isTimerMs, MAX_TIMER_MS, parseReportApiUrl } from './report-api-options.js';

/** Options of `createForwarder`. */
export interface ForwarderOptions {
  /** Base URL of the report API; batches go to `${url}/v1/events`. */
  url: string;
  /** Sent as `Authorization: Bearer <ingestKey>`. */
  ingestKey: string;
  source: EventSource;
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Events per batch (at most 5000). Default 2000: under load, fewer POSTs (each costs Node's fetch ~1 ms of CPU). */
  batchSize?: number;
  /**
   * Send what is queued this often. 0 = no timers and no sending on push: the caller calls `flush()` (edge workers, via
   * waitUntil). Default 5000.
   */
  flushIntervalMs?: number;
  /**
   * Most events waiting (besides the one batch in flight); past it the oldest are dropped and counted. Default 10 000.
   */
  maxQueue?: number;
  /** Gzip bodies with CompressionStream. Default true where the runtime has it. */
  gzip?: boolean;
  /** Abort a POST after this long. Default 10 000 ms. */
  timeoutMs?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`, with jitter. Defaults 500 and 30 000 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Longest wait before the next attempt while the queue is full, so that events are being
   * dropped: a recovered API is then found within this long instead of a full backoff later.
   * Default 2000 ms. A `Retry-After` from the API (429, 503) is honoured instead, up to `maxBackoffMs`.
   */
  fullQueueBackoffMs?: number;
  /** Attempts per batch before it is dropped (counted). Default Infinity: keep retrying the same batchId. */
  maxAttempts?: number;
  random?: () => number;
  now?: () => number;
  /** Told about the first failure of each outage and about rejected batches. Never throws into the app. */
  onError?: (error: unknown) => void;
}

/** Counters of a forwarder since it was created. */
export interface ForwarderStats {
  queued: number;
  inFlight: number;
  sentEvents: number;
  sentBatches: number;
  /** Events dropped: queue full, batch rejected by the API, attempts exhausted, or pushed after close. */
  dropped: number;
  /** Events of accepted batches that the API refused one by one (its 202 `rejected`); never retried. */
  rejected: number;
  failedAttempts: number;
}

/** A batching, retrying event sink that posts to the report API. */
export interface Forwarder extends EventSink {
  stats(): ForwarderStats;
}

interface PendingBatch {
  batchId: string;
  count: number;
  body: Promise<Uint8Array<ArrayBuffer>>;
  attempts: number;
}

const encoder = new TextEncoder();
const TAIL = encoder.encode(']}');

function check(condition: boolean, where: string, value: unknown, what: string): void {
  if (!condition) throw new TypeError(`${where} must be ${what}, got ${JSON.stringify(value)}`);
}

/**
 * Queues events and posts them in batches to `POST /v1/events`. A failed batch is retried with
 * the same `batchId` (the API stores it once), so an event is never sent under two ids.
 *
 * @example
 * const forwarder = createForwarder({ url: 'https://watchpost.example', ingestKey: 'wp_live_x', source: 'express' });
 * forwarder.push(event);
 * await forwarder.close(); // on shutdown
 */
export function createForwarder({
  url,
  ingestKey,
  source,
  fetch: fetchFn = globalThis.fetch,
  batchSize = 2_000,
  flushIntervalMs = 5_000,
  maxQueue = 10_000,
  gzip: useGzip = canGzip,
  timeoutMs = 10_000,
  backoffMs = 500,
  maxBackoffMs = 30_000,
  fullQueueBackoffMs = 2_000,
  maxAttempts = Infinity,
  random = Math.random,
  now = Date.now,
  onError = () => {},
}: ForwarderOptions): Forwarder {
  const baseUrl = parseReportApiUrl(url, 'options.url');
  check(typeof ingestKey === 'string' && ingestKey.length > 0, 'options.ingestKey', ingestKey, 'a non-empty string');
  check(
    eventSourceSchema.safeParse(source).success,
    'options.source',
    source,
    `one of ${eventSourceSchema.options.join(', ')}`,
  );
  check(typeof fetchFn === 'function', 'options.fetch', typeof fetchFn, 'a function');
  check(
    Number.isInteger(batchSize) && batchSize > 0 && batchSize <= MAX_BATCH_EVENTS,
    'options.batchSize',
    batchSize,
    `an integer in 1..${MAX_BATCH_EVENTS}`,
  );
  check(
    isTimerMs(flushIntervalMs, 0),
    'options.flushIntervalMs',
    flushIntervalMs,
    `a number of ms from 0 to ${MAX_TIMER_MS}`,
  );
  check(Number.isInteger(maxQueue) && maxQueue > 0, 'options.maxQueue', maxQueue, 'a positive integer');
  check(!useGzip || canGzip, 'options.gzip', useGzip, 'false on a runtime without CompressionStream');
  const timerMs = `a positive number of ms up to ${MAX_TIMER_MS}`;
  check(isTimerMs(timeoutMs, Number.MIN_VALUE), 'options.timeoutMs', timeoutMs, timerMs);
  check(isTimerMs(backoffMs, Number.MIN_VALUE), 'options.backoffMs', backoffMs, timerMs);
  check(
    isTimerMs(maxBackoffMs, backoffMs),
    'options.maxBackoffMs',
    maxBackoffMs,
    `at least options.backoffMs, up to ${MAX_TIMER_MS}`,
  );
  check(isTimerMs(fullQueueBackoffMs, Number.MIN_VALUE), 'options.fullQueueBackoffMs', fullQueueBackoffMs, timerMs);
  check(maxAttempts >= 1, 'options.maxAttempts', maxAttempts, 'at least 1');

  const endpoint = `${baseUrl}/v1/events`;
  const manual = flushIntervalMs === 0;
  // Waiting events are kept as UTF-8 JSON bytes in reusable blocks, one per batch: nothing of them
  // stays on the JavaScript heap for the garbage collector to copy, and a batch body is one copy.
  const queue = new EventBuffer(batchSize, maxQueue);
  let pending: PendingBatch | null = null;
  let pumping: Promise<void> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the scheduled retry fires, and whether the API chose that time (Retry-After). */
  let retryAt = 0;
  let retryChosenByApi = false;
  let failing = false;
  let closed = false;
  let droppedUnreported = 0;
  const counters = { sentEvents: 0, sentBatches: 0, dropped: 0, rejected: 0, failedAttempts: 0 };

  const interval = manual ? null : setInterval(() => void kick(true), flushIntervalMs);
  unref(interval);

  function drop(count: number): void {
    counters.dropped += count;
    droppedUnreported += count;
  }

  function take(): PendingBatch {
    const { count, json } = queue.take()!;
    const batchId = crypto.randomUUID();
    // The envelope of an EventBatch, written by hand around the events' own JSON.
    const header: Omit<EventBatch, 'events'> = { batchId, source };
    // A clock outside the contract's range would get the whole batch refused: sentAt is optional.
    const sentAt = now();
    if (isEventTs(sentAt)) header.sentAt = sentAt;
    const reported = Math.min(droppedUnreported, MAX_DROPPED);
    if (reported > 0) header.dropped = reported;
    droppedUnreported -= reported;
    const head = encoder.encode(`${JSON.stringify(header).slice(0, -1)},"events":[`);
    const body = new Uint8Array(head.length + json.length + 2);
    body.set(head);
    body.set(json, head.length);
    body.set(TAIL, head.length + json.length);
    // Encoded once: a retry sends the very same bytes under the same batchId.
    return { batchId, count, body: useGzip ? gzip(body) : Promise.resolve(body), attempts: 0 };
  }

  async function post(item: PendingBatch): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`report API did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${ingestKey}`,
      };
      if (useGzip) headers['content-encoding'] = 'gzip';
      const response = await fetchFn(endpoint, {
        method: 'POST',
        headers,
        body: await item.body,
        signal: controller.signal,
      });
      const answer = await readAnswer(response, item.count, now());
      if (answer.kind === 'reject')
        onError(new Error(`report API answered ${response.status} to batch ${item.batchId}`));
      if (answer.kind !== 'retry') return answer;
      counters.failedAttempts++;
      if (!failing) onError(new Error(`report API answered ${response.status} to batch ${item.batchId}`));
      failing = true;
      return answer;
    } catch (error) {
      counters.failedAttempts++;
      if (!failing) onError(error);
      failing = true;
      return { kind: 'retry', retryAfterMs: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends the batch in flight, then full batches; with `everything` (a timer tick, flush(),
   * close()) also what was queued when it started. Events that arrive meanwhile wait for a full
   * batch or the next tick: draining until the queue is momentarily empty would, under steady
   * traffic, turn into one POST per few events.
   */
  async function drain(everything: boolean): Promise<void> {
    let owed = everything ? queue.length : 0;
    while (pending !== null || queue.length >= batchSize || (owed > 0 && queue.length > 0)) {
      if (pending === null) {
        pending = take();
        owed -= pending.count;
      }
      pending.attempts++;
      const answer = await post(pending);
      // An API that said when to come back (429 + Retry-After) is busy, not failing: no attempt used up.
      if (answer.kind === 'retry' && answer.retryAfterMs !== null) pending.attempts--;
      if (answer.kind === 'retry' && pending.attempts < maxAttempts) {
        if (!manual && !closed) scheduleRetry(pending.attempts, answer.retryAfterMs);
        else if (answer.retryAfterMs !== null) {
          // No timers: remember when the API wants us back; flush() waits until then.
          retryAt = now() + Math.min(answer.retryAfterMs, maxBackoffMs);
          retryChosenByApi = true;
        }
        return;
      }
      if (answer.kind === 'ok') {
        failing = false;
        counters.sentEvents += pending.count - answer.rejected;
        counters.rejected += answer.rejected;
        counters.sentBatches++;
      } else {
        drop(pending.count);
      }
      pending = null;
    }
  }

  /**
   * Waits before the next attempt: the API's Retry-After (capped at maxBackoffMs) when it gave
   * one, else the exponential backoff, cut to fullQueueBackoffMs while the queue is full.
   */
  function scheduleRetry(attempt: number, retryAfterMs: number | null): void {
    let delay: number;
    if (retryAfterMs !== null) delay = Math.min(retryAfterMs, maxBackoffMs);
    else {
      delay = backoffDelay(attempt, { baseMs: backoffMs, maxMs: maxBackoffMs, random });
      if (queue.length >= maxQueue) delay = Math.min(delay, fullQueueDelay());
    }
    setRetryTimer(delay, retryAfterMs !== null);
  }

  /** Up to fullQueueBackoffMs, with jitter so a fleet does not come back in lockstep. */
  function fullQueueDelay(): number {
    return Math.round(fullQueueBackoffMs / 2 + (fullQueueBackoffMs / 2) * random());
  }

  function setRetryTimer(delay: number, chosenByApi: boolean): void {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryAt = now() + delay;
    retryChosenByApi = chosenByApi;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void kick(false);
    }, delay);
    unref(retryTimer);
  }

  function kick(everything: boolean): Promise<void> {
    if (pumping !== null) return pumping;
    if (retryTimer !== null && !closed) return Promise.resolve();
    pumping = drain(everything)
      .catch(onError)
      .finally(() => {
        pumping = null;
      });
    return pumping;
  }

  return {
    push(event) {
      if (closed) return drop(1);
      const dropped = queue.push(eventJson(event));
      if (dropped > 0) {
        drop(dropped);
        // The queue filled up during a long backoff: look again soon rather than drop for seconds.
        if (retryTimer !== null && !retryChosenByApi && retryAt - now() > fullQueueBackoffMs)
          setRetryTimer(fullQueueDelay(), false);
      }
      if (!manual && queue.length >= batchSize) void kick(false);
    },
    async flush() {
      if (pumping !== null) await pumping;
      // An explicit flush does not wait out a backoff (the caller wants delivery now), but it does
      // wait out a Retry-After: the API asked for it. close() sends anyway: it is the last chance.
      if (retryChosenByApi && !closed && now() < retryAt) return;
      retryChosenByApi = false;
      if (retryTimer !== null) {
        clearTimeout(retryTimer);
        retryTimer = null;
      }
      await kick(true);
    },
    async close() {
      if (interval !== null) clearInterval(interval);
      closed = true;
      await this.flush();
    },
    stats() {
      return { queued: queue.length, inFlight: pending?.count ?? 0, ...counters };
    },
  };
}

function unref(timer: unknown): void {
  // Node timers keep the process alive; telemetry must not. workerd timers have no unref.
  (timer as { unref?: () => void } | null)?.unref?.();
}
