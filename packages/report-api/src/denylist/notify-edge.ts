/**
 * Tells a site's edge workers that its deny list changed, so each pulls it at once
 * (`POST <worker>/__watchpost/denylist-changed`, the site's ingest key as bearer) instead of at
 * its next cron minute. Fire and forget: the deny write never waits for it, each call has a short
 * timeout, nothing is retried (the cron pull is the fallback), and a site has at most one round of
 * notices in flight plus one queued, so a burst of changes costs the workers two pulls.
 */

/** The path the edge worker answers itself (packages/edge-worker `DENYLIST_NOTICE_PATH`). */
export const EDGE_NOTICE_PATH = '/__watchpost/denylist-changed';

/** Where a site's workers listen, and the key they accept (the site's ingest key). */
export interface EdgeWorkerTarget {
  /** Base URLs of the worker (its route or workers.dev host), at most 16. */
  urls: readonly string[];
  ingestKey: string;
}

/** Options of {@link createEdgeNotifier}. */
export interface EdgeNotifierOptions {
  /** The edge workers of each site, by site id; sites not here are not notified. */
  targets: ReadonlyMap<string, EdgeWorkerTarget>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Longest wait for one worker, in ms. Default 2000. */
  timeoutMs?: number;
  /** Told about each failed notice (never thrown). Default: `console.error`. */
  logError?: (error: unknown) => void;
}

/** Counters since the notifier was built. */
export interface EdgeNotifierStats {
  /** Notices a worker accepted (2xx). */
  sent: number;
  /** Notices that failed: refused, timed out, unreachable. */
  failed: number;
  /** Changes folded into a round already queued. */
  coalesced: number;
}

export interface EdgeNotifier {
  /** A site's deny list changed; returns at once. */
  notify(siteId: string): void;
  stats(): EdgeNotifierStats;
  /** Resolves when no notice is in flight (tests, shutdown). */
  idle(): Promise<void>;
}

const MAX_URLS = 16;

/**
 * @example
 * const notifier = createEdgeNotifier({ targets: parseEdgeWorkers(process.env.WATCHPOST_EDGE_WORKERS) });
 * createApp({ store, onDenyListChange: notifier.notify });
 */
export function createEdgeNotifier({
  targets,
  fetch: fetchFn = (input, init) => fetch(input, init),
  timeoutMs = 2_000,
  logError = (error) => console.error('watchpost edge notice:', error),
}: EdgeNotifierOptions): EdgeNotifier {
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= 30_000)) {
    throw new TypeError(`timeoutMs must be an integer in 1..30000, got ${JSON.stringify(timeoutMs)}`);
  }
  const stats: EdgeNotifierStats = { sent: 0, failed: 0, coalesced: 0 };
  const running = new Map<string, Promise<void>>();
  const queued = new Set<string>();

  async function noticeOne(url: string, ingestKey: string): Promise<void> {
    try {
      const response = await fetchFn(`${url.replace(/\/+$/, '')}${EDGE_NOTICE_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      stats.sent++;
    } catch (error) {
      stats.failed++;
      logError(error);
    }
  }

  function round(siteId: string, target: EdgeWorkerTarget): Promise<void> {
    const done = Promise.all(target.urls.map((url) => noticeOne(url, target.ingestKey))).then(() => {
      running.delete(siteId);
      // A change made while this round was out: one more round, however many changes there were.
      if (queued.delete(siteId)) running.set(siteId, round(siteId, target));
    });
    return done;
  }

  return {
    notify(siteId) {
      const target = targets.get(siteId);
      if (target === undefined) return;
      if (running.has(siteId)) {
        if (queued.has(siteId)) stats.coalesced++;
        queued.add(siteId);
        return;
      }
      running.set(siteId, round(siteId, target));
    },
    stats: () => ({ ...stats }),
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}

function fail(what: string, got: unknown): never {
  const shown = JSON.stringify(got) ?? String(got);
  throw new TypeError(`WATCHPOST_EDGE_WORKERS ${what}, got ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`);
}

/**
 * Parses `WATCHPOST_EDGE_WORKERS`: JSON `{ "<site id>": { "urls": ["https://shop.example"],
 * "ingestKey": "..." } }`. Absent or blank: no site is notified. Throws a TypeError naming the bad
 * value (never the key).
 *
 * @example
 * parseEdgeWorkers('{"site_1":{"urls":["https://shop.example"],"ingestKey":"wp_ing_..."}}').get('site_1')?.urls;
 */
export function parseEdgeWorkers(text: string | undefined): Map<string, EdgeWorkerTarget> {
  const targets = new Map<string, EdgeWorkerTarget>();
  if (text === undefined || text.trim() === '') return targets;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('must be JSON', '(not shown: it holds keys)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('must be a JSON object', typeof parsed);
  // Own entries only, into a Map: a site id such as `__proto__` is just a name here.
  for (const [siteId, value] of Object.entries(parsed)) {
    const where = `[${JSON.stringify(siteId)}]`;
    if (typeof value !== 'object' || value === null) fail(`${where} must be { urls, ingestKey }`, typeof value);
    const { urls, ingestKey } = value as { urls?: unknown; ingestKey?: unknown };
    if (typeof ingestKey !== 'string' || ingestKey.length < 8 || /[\s\p{Cc}]/u.test(ingestKey)) {
      fail(`${where}.ingestKey must be the site's ingest key`, '(not shown)');
    }
    if (!Array.isArray(urls) || urls.length === 0 || urls.length > MAX_URLS) {
      fail(`${where}.urls must be 1 to ${MAX_URLS} worker URLs`, urls);
    }
    const checked = urls.map((url: unknown) => {
      let parsedUrl: URL;
      try {
        parsedUrl = new URL(String(url));
      } catch {
        return fail(`${where}.urls has an invalid URL`, url);
      }
      if (typeof url !== 'string' || (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:')) {
        fail(`${where}.urls must be http(s) URLs`, url);
      }
      if (parsedUrl.username || parsedUrl.password || parsedUrl.search || parsedUrl.hash) {
        fail(`${where}.urls must hold no credentials, query or fragment`, parsedUrl.origin);
      }
      return url;
    });
    targets.set(siteId, { urls: checked, ingestKey });
  }
  return targets;
}
