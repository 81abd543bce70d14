/**
 * Background delivery of webhook messages: a bounded in-memory queue, a few workers, a timeout on
 * every attempt, retries with exponential backoff and jitter, and one record per delivery in the
 * store. `enqueue` never waits, so nothing that produces messages (ingest, the scheduler) can be
 * slowed by a dead or hanging receiver.
 */
import type { AlertKind } from './incident.js';
import type { SlackPayload } from './payload.js';
import type { NewDelivery } from '../db/alerts.js';

/** One message for one webhook. */
export interface DeliveryJob {
  siteId: string;
  webhook: { id: string; url: string };
  kind: AlertKind;
  /** One-line summary for the delivery log (no secrets). */
  summary: string;
  payload: SlackPayload;
  /** Called with the recorded outcome (after it is stored); for callers that wait, like `alerts test`. */
  onDone?: (delivery: NewDelivery) => void;
}

/** Options of {@link createDeliveryQueue}; every default is listed. */
export interface DeliveryQueueOptions {
  /** Stores the outcome of each delivery (e.g. `store.recordDelivery`). */
  record: (delivery: NewDelivery) => Promise<void>;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  random?: () => number;
  /** Waits between attempts. Default: a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Per attempt, from request to the end of the response body (default 5,000 ms). */
  timeoutMs?: number;
  /** Attempts per delivery, the first included (default 4). */
  maxAttempts?: number;
  /** Backoff before the second attempt; doubles each time (default 1,000 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, `Retry-After` included (default 30,000 ms). */
  maxDelayMs?: number;
  /** Deliveries in flight at once, at most one per webhook (default 4). */
  concurrency?: number;
  /** Messages waiting past this are dropped, oldest first, and recorded as `dropped` (default 1,000). */
  maxQueued?: number;
  logError?: (error: unknown) => void;
}

/** Counters since the queue was created. */
export interface DeliveryStats {
  queued: number;
  active: number;
  delivered: number;
  failed: number;
  dropped: number;
}

interface AttemptResult {
  ok: boolean;
  retry: boolean;
  httpStatus: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

const positive = (name: string, value: number, min = 1) => {
  if (!Number.isFinite(value) || value < min) throw new TypeError(`${name} must be a number >= ${min}, got ${value}`);
};

/**
 * Creates the delivery queue.
 *
 * @example
 * const queue = createDeliveryQueue({ record: (d) => store.recordDelivery(d) });
 * queue.enqueue({ siteId, webhook, kind: 'test', summary: 'test message', payload: { text: 'hello' } });
 * await queue.idle(); // in tests and at shutdown
 */
export function createDeliveryQueue({
  record,
  fetch = globalThis.fetch,
  now = Date.now,
  random = Math.random,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timeoutMs = 5000,
  maxAttempts = 4,
  baseDelayMs = 1000,
  maxDelayMs = 30_000,
  concurrency = 4,
  maxQueued = 1000,
  logError = (error) => console.error(error),
}: DeliveryQueueOptions) {
  positive('timeoutMs', timeoutMs);
  positive('maxAttempts', maxAttempts);
  positive('baseDelayMs', baseDelayMs, 0);
  positive('maxDelayMs', maxDelayMs, 0);
  positive('concurrency', concurrency);
  positive('maxQueued', maxQueued);

  const waiting: DeliveryJob[] = [];
  const stats: DeliveryStats = { queued: 0, active: 0, delivered: 0, failed: 0, dropped: 0 };
  let idleWaiters: Array<() => void> = [];
  const busyWebhooks = new Set<string>();

  async function attempt(job: DeliveryJob): Promise<AttemptResult> {
    try {
      const response = await fetch(job.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'watchpost-alerts' },
        body: JSON.stringify(job.payload),
        // A webhook that redirects is misconfigured; following it would POST the message elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read (and bound) the body inside the timeout: a receiver that stalls mid-body is a failure too.
      const body = (await response.text()).slice(0, 200);
      if (response.status >= 200 && response.status < 300) {
        return { ok: true, retry: false, httpStatus: response.status, error: null, retryAfterMs: null };
      }
      const retry = response.status === 408 || response.status === 429 || response.status >= 500;
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        retry,
        httpStatus: response.status,
        error: `HTTP ${response.status}${body ? `: ${body.replace(/\s+/g, ' ').trim()}` : ''}`,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null,
      };
    } catch (error) {
      const name = (error as Error)?.name;
      const message =
        name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : `${(error as Error)?.message ?? error}${causeOf(error)}`;
      return { ok: false, retry: true, httpStatus: null, error: message, retryAfterMs: null };
    }
  }

  function backoff(attemptNumber: number, retryAfterMs: number | null): number {
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1));
    // "Equal jitter": at least half the backoff, so retries still spread out but never hammer.
    const jittered = exponential / 2 + random() * (exponential / 2);
    return Math.min(maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  }

  async function deliver(job: DeliveryJob): Promise<void> {
    const started = now();
    let result: AttemptResult = { ok: false, retry: true, httpStatus: null, error: null, retryAfterMs: null };
    let attempts = 0;
    while (attempts < maxAttempts) {
      attempts++;
      result = await attempt(job);
      if (result.ok || !result.retry || attempts >= maxAttempts) break;
      await sleep(backoff(attempts, result.retryAfterMs));
    }
    if (result.ok) stats.delivered++;
    else stats.failed++;
    await save(job, result.ok ? 'delivered' : 'failed', result.httpStatus, result.error, attempts, started);
  }

  async function save(
    job: DeliveryJob,
    status: NewDelivery['status'],
    httpStatus: number | null,
    error: string | null,
    attempts: number,
    started: number,
  ): Promise<void> {
    const at = now();
    const delivery: NewDelivery = {
      siteId: job.siteId,
      webhookId: job.webhook.id,
      kind: job.kind,
      summary: job.summary,
      status,
      httpStatus,
      error,
      attempts,
      at,
      durationMs: at - started,
    };
    try {
      await record(delivery);
    } catch (recordError) {
      logError(recordError);
    }
    try {
      job.onDone?.(delivery);
    } catch (callbackError) {
      logError(callbackError);
    }
  }

  function pump(): void {
    while (stats.active < concurrency) {
      // One delivery per webhook at a time: a dead webhook holds one worker, never all of them,
      // and messages to one chat arrive in order.
      const index = waiting.findIndex((job) => !busyWebhooks.has(job.webhook.id));
      if (index === -1) break;
      const [job] = waiting.splice(index, 1) as [DeliveryJob];
      stats.queued = waiting.length;
      stats.active++;
      busyWebhooks.add(job.webhook.id);
      deliver(job)
        .catch(logError)
        .finally(() => {
          stats.active--;
          busyWebhooks.delete(job.webhook.id);
          pump();
        });
    }
    if (stats.active === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  return {
    /**
     * Queues a message and returns at once; false when it displaced an older message (which is recorded as dropped).
     */
    enqueue(job: DeliveryJob): boolean {
      waiting.push(job);
      let displaced = false;
      while (waiting.length > maxQueued) {
        const dropped = waiting.shift()!;
        displaced = true;
        stats.dropped++;
        void save(dropped, 'dropped', null, `queue full (${maxQueued} waiting)`, 0, now());
      }
      stats.queued = waiting.length;
      // Start work on a later tick, so the caller's request finishes first.
      queueMicrotask(pump);
      return !displaced;
    },
    /** Resolves when nothing is queued or in flight. */
    idle(): Promise<void> {
      if (stats.active === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stats(): DeliveryStats {
      return { ...stats };
    },
  };
}

/** The queue returned by {@link createDeliveryQueue}. */
export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;

/** Node's fetch hides the useful part ("ECONNREFUSED") in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (!cause) return '';
  return ` (${cause.code ?? cause.message ?? String(cause)})`;
}
