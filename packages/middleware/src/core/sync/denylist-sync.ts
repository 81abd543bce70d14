import { denyListSchema, type DenyEntry } from '../../protocol/index.js';

/** Options of `createDenyListSync`. */
export interface DenyListSyncOptions {
  /** Base URL of the report API; the list is read from `${url}/v1/denylist`. */
  url: string;
  /** Sent as `Authorization: Bearer <ingestKey>`. */
  ingestKey: string;
  /**
   * How long `start()`'s polls ask the report API to hold an unchanged list (`?wait=`), in whole
   * seconds, 0 to 30: a change then arrives within about a second. Default 25; 0 polls every
   * `intervalMs` instead.
   */
  waitS?: number;
  /** Poll period when long polls are off, fail, or the report API does not hold them. Default 60 000 ms. */
  intervalMs?: number;
  /** Abort a poll after this long. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Called with the new list whenever the served list changed. */
  onUpdate?: (entries: readonly DenyEntry[], allow: readonly string[]) => void;
  /** Called when a poll fails; the last good list stays in force. */
  onError?: (error: unknown) => void;
}

/** A poller of the served deny list. */
export interface DenyListSync {
  /**
   * Polls now and again each time an answer comes: long polls held by the report API, or every
   * `intervalMs` when it does not hold them. After a failure, retries after 1 s, doubling up to
   * `intervalMs`. A held poll keeps a Node process alive until `stop()`; the timers do not.
   */
  start(): void;
  stop(): void;
  /** Polls once, not held. Resolves true when a new list arrived, false on 304 or failure; never rejects. */
  refresh(): Promise<boolean>;
  /** The last good list (empty before the first success). */
  current(): DenyEntry[];
}

/**
 * Keeps a copy of the report API's deny list. Polls send `If-None-Match`, so an unchanged list
 * costs a 304 (after being held up to `waitS`); a failed poll keeps the last good list.
 *
 * @example
 * const sync = createDenyListSync({ url: 'https://watchpost.example', ingestKey: 'wp_live_x',
 *   onUpdate: (entries) => engine.setDenyList(entries) });
 * sync.start();
 */
export function createDenyListSync({
  url,
  ingestKey,
  waitS = 25,
  intervalMs = 60_000,
  timeoutMs = 10_000,
  fetch: fetchFn = globalThis.fetch,
  onUpdate = () => {},
  onError = () => {},
}: DenyListSyncOptions): DenyListSync {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url))
    throw new TypeError(`options.url must be an http(s) URL, got ${JSON.stringify(url)}`);
  if (typeof ingestKey !== 'string' || ingestKey.length === 0)
    throw new TypeError(`options.ingestKey must be a non-empty string, got ${JSON.stringify(ingestKey)}`);
  if (!(intervalMs > 0))
    throw new TypeError(`options.syncIntervalMs must be a positive number, got ${JSON.stringify(intervalMs)}`);
  if (!Number.isInteger(waitS) || waitS < 0 || waitS > 30)
    throw new TypeError(`options.syncWaitS must be whole seconds from 0 to 30, got ${JSON.stringify(waitS)}`);
  if (typeof fetchFn !== 'function') throw new TypeError(`options.fetch must be a function, got ${typeof fetchFn}`);

  const endpoint = `${url.replace(/\/+$/, '')}/v1/denylist`;
  let entries: DenyEntry[] = [];
  let etag: string | null = null;
  let running = false;
  let wake: (() => void) | null = null;
  let inFlight: Promise<boolean> | null = null;
  let held: AbortController | null = null;

  /** One poll; `held` is true when the report API honoured `?wait=` (it says so in `Watchpost-Wait`). */
  async function poll(
    wait: number,
    stopper?: AbortController,
  ): Promise<{ ok: boolean; held: boolean; updated: boolean }> {
    const controller = stopper ?? new AbortController();
    const limit = timeoutMs + wait * 1000;
    const timeout = setTimeout(() => controller.abort(new Error(`deny list poll timed out after ${limit} ms`)), limit);
    try {
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${ingestKey}` };
      if (etag !== null) headers['if-none-match'] = etag;
      const target = wait > 0 && etag !== null ? `${endpoint}?wait=${wait}` : endpoint;
      const response = await fetchFn(target, { headers, signal: controller.signal });
      const wasHeld = wait > 0 && response.headers.get('watchpost-wait') !== null;
      if (response.status === 304) {
        await response.body?.cancel().catch(() => {});
        return { ok: true, held: wasHeld, updated: false };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`GET ${endpoint} answered ${response.status}`);
      }
      const list = denyListSchema.parse(await response.json());
      entries = list.entries;
      etag = response.headers.get('etag') ?? JSON.stringify(list.version);
      onUpdate(entries, list.allow ?? []);
      // A first answer (no ETag sent yet) is never held, but the next poll may be.
      return { ok: true, held: wasHeld || wait > 0, updated: true };
    } catch (error) {
      // A held poll cut short by `stop()` is not an error.
      if (stopper === undefined || running) onError(error);
      return { ok: false, held: false, updated: false };
    } finally {
      clearTimeout(timeout);
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      (timer as { unref?: () => void }).unref?.();
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  }

  async function loop(): Promise<void> {
    let retryMs = 1000;
    while (running) {
      const started = Date.now();
      held = new AbortController();
      const outcome = await poll(waitS, held);
      held = null;
      if (!running) return;
      if (!outcome.ok) {
        await pause(retryMs);
        retryMs = Math.min(retryMs * 2, intervalMs);
        continue;
      }
      retryMs = 1000;
      // Held polls follow each other; at least 250 ms apart, so a list that changes all the time
      // (or a server answering at once) cannot spin the loop.
      await pause(outcome.held ? Math.max(0, 250 - (Date.now() - started)) : intervalMs);
    }
  }

  function refresh(): Promise<boolean> {
    // Overlapping plain polls would race on the ETag; share the one in flight.
    inFlight ??= poll(0)
      .then((outcome) => outcome.updated)
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    start() {
      if (running) return;
      running = true;
      void loop();
    },
    stop() {
      running = false;
      held?.abort(new Error('deny list sync stopped'));
      wake?.();
    },
    refresh,
    current: () => entries,
  };
}
