import { denyListSchema, type DenyEntry } from '../../protocol/index.js';

/** Options of `createDenyListSync`. */
export interface DenyListSyncOptions {
  /** Base URL of the report API; the list is read from `${url}/v1/denylist`. */
  url: string;
  /** Sent as `Authorization: Bearer <ingestKey>`. */
  ingestKey: string;
  /** Poll period of `start()`. Default 60 000 ms. */
  intervalMs?: number;
  /** Abort a poll after this long. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Called with the new list whenever the served list changed. */
  onUpdate?: (entries: readonly DenyEntry[]) => void;
  /** Called when a poll fails; the last good list stays in force. */
  onError?: (error: unknown) => void;
}

/** A poller of the served deny list. */
export interface DenyListSync {
  /** Polls now and then every `intervalMs` (the timer does not keep a Node process alive). */
  start(): void;
  stop(): void;
  /** Polls once. Resolves true when a new list arrived, false on 304 or failure; never rejects. */
  refresh(): Promise<boolean>;
  /** The last good list (empty before the first success). */
  current(): DenyEntry[];
}

/**
 * Keeps a copy of the report API's deny list. Polls send `If-None-Match`, so an unchanged list
 * costs a 304; a failed poll keeps the last good list.
 *
 * @example
 * const sync = createDenyListSync({ url: 'https://watchpost.example', ingestKey: 'wp_live_x',
 *   onUpdate: (entries) => engine.setDenyList(entries) });
 * sync.start();
 */
export function createDenyListSync({
  url,
  ingestKey,
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
  if (typeof fetchFn !== 'function') throw new TypeError(`options.fetch must be a function, got ${typeof fetchFn}`);

  const endpoint = `${url.replace(/\/+$/, '')}/v1/denylist`;
  let entries: DenyEntry[] = [];
  let etag: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<boolean> | null = null;

  async function poll(): Promise<boolean> {
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`deny list poll timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${ingestKey}` };
      if (etag !== null) headers['if-none-match'] = etag;
      const response = await fetchFn(endpoint, { headers, signal: controller.signal });
      if (response.status === 304) {
        await response.body?.cancel().catch(() => {});
        return false;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`GET ${endpoint} answered ${response.status}`);
      }
      const list = denyListSchema.parse(await response.json());
      entries = list.entries;
      etag = response.headers.get('etag') ?? JSON.stringify(list.version);
      onUpdate(entries);
      return true;
    } catch (error) {
      onError(error);
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }

  function refresh(): Promise<boolean> {
    // Overlapping polls would race on the ETag; share the one in flight.
    inFlight ??= poll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    start() {
      if (timer !== null) return;
      void refresh();
      timer = setInterval(() => void refresh(), intervalMs);
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    refresh,
    current: () => entries,
  };
}
