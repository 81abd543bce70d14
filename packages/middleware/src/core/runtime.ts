import type { EventSource } from '../protocol/index.js';
import {
  createClientResolver,
  type Cdn,
  type ClientRequest,
  type GeoAnswer,
  type ResolvedClient,
} from './client/resolve.js';
import { createEngine, defaultOnError, type Engine, type EngineOptions, type RequestFacts } from './engine.js';
import { createForwarder, type ForwarderOptions } from './forward/forwarder.js';
import { checkReportApiOptions } from './forward/report-api-options.js';
import type { ParsedIp } from './ip/parse.js';
import { createDenyListSync, type DenyListSync } from './sync/denylist-sync.js';

/** The report API to forward events to and to read the deny list from. */
export interface ReportApiOptions {
  /** Base URL, e.g. `https://watchpost.example`. */
  url: string;
  /** The site's ingest key (`watchpost sites create` prints it). */
  ingestKey: string;
  /**
   * Deny-list long polls: the report API holds an unchanged list up to this many seconds (0..30)
   * and answers as soon as it changes, so a deny is enforced within about a second. Default 25;
   * 0 turns long polls off (plain polls every `syncIntervalMs`).
   */
  syncWaitS?: number;
  /** Deny-list poll period when long polls are off or failing (the retry ceiling). Default 60 000 ms. */
  syncIntervalMs?: number;
  /** Fine-tuning of the forwarder (batch size, queue, timers...). */
  forwarder?: Partial<Omit<ForwarderOptions, 'url' | 'ingestKey' | 'source'>>;
  /** Injected fetch for both the forwarder and the deny-list sync. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** The 403 a blocked request gets. */
export interface BlockResponseOptions {
  /** Default 403. */
  status?: number;
  /** Default `Forbidden`. */
  body?: string;
  /** Default `content-type: text/plain; charset=utf-8` and `cache-control: no-store`. */
  headers?: Record<string, string>;
}

/** Options of the Express and Hono middleware: the engine's, plus client resolution, report API and the 403. */
export interface WatchpostOptions extends EngineOptions {
  /** Forward events to the report API and apply its deny list. Without it, events go to `sink` or nowhere. */
  reportApi?: ReportApiOptions;
  /** Proxies whose `X-Forwarded-For` is believed: IPs, CIDRs, `loopback`, `private`, `linklocal`. Default none. */
  trustedProxies?: Iterable<string>;
  /** The CDN in front of the app (`cloudflare` or `cloudfront`); only then are its headers read. */
  cdn?: Cdn | null;
  /** A header your own load balancer sets to the client's country. */
  countryHeader?: string | null;
  /** Offline GeoIP: `true` (the Node table; Express default), `false`, or your own lookup. */
  geo?: boolean | ((ip: ParsedIp) => GeoAnswer);
  blockResponse?: BlockResponseOptions;
}

/** What an adapter needs; built once per middleware. */
export interface WatchpostRuntime {
  engine: Engine;
  resolveClient(request: ClientRequest): ResolvedClient;
  block: { status: number; body: string; headers: Record<string, string> };
  onError(error: unknown): void;
  sync: DenyListSync | null;
  close(): Promise<void>;
}

/**
 * Builds everything an adapter needs from the middleware options, validating them: a bad
 * value throws a TypeError that names it. `nodeGeo` is how the Node adapter supplies the
 * offline table for `geo: true`; runtime-neutral adapters pass nothing.
 *
 * @example
 * const runtime = createWatchpostRuntime({ denyList: ['198.51.100.0/24'] }, { source: 'hono' });
 * runtime.engine.decide(...);
 */
export function createWatchpostRuntime(
  options: WatchpostOptions,
  {
    source,
    nodeGeo,
    defaultGeo = false,
  }: { source: EventSource; nodeGeo?: () => (ip: ParsedIp) => GeoAnswer; defaultGeo?: boolean },
): WatchpostRuntime {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`options must be an object, got ${JSON.stringify(options)}`);
  const { reportApi, trustedProxies, cdn, countryHeader, geo = defaultGeo, blockResponse, ...engineOptions } = options;
  const onError = engineOptions.onError ?? defaultOnError;

  let lookup: ((ip: ParsedIp) => GeoAnswer) | null = null;
  if (typeof geo === 'function') lookup = geo;
  else if (geo === true) {
    if (nodeGeo === undefined) {
      throw new TypeError(
        'options.geo: true needs the Node table here; pass geo: loadGeoLookup() from ' +
          "'@watchpost/middleware/node', or a lookup of your own",
      );
    }
    lookup = nodeGeo();
  } else if (geo !== false)
    throw new TypeError(`options.geo must be a boolean or a function, got ${JSON.stringify(geo)}`);

  const resolveClient = createClientResolver({ trustedProxies, cdn, countryHeader, geo: lookup });
  const block = compileBlockResponse(blockResponse);

  let sink = engineOptions.sink;
  let sync: DenyListSync | null = null;
  let engine: Engine | null = null;
  if (reportApi !== undefined) {
    checkReportApiOptions(reportApi);
    const fetchFn = reportApi.fetch ?? globalThis.fetch;
    sink ??= createForwarder({
      ...reportApi.forwarder,
      url: reportApi.url,
      ingestKey: reportApi.ingestKey,
      source,
      fetch: fetchFn,
      onError,
    });
    sync = createDenyListSync({
      url: reportApi.url,
      ingestKey: reportApi.ingestKey,
      intervalMs: reportApi.syncIntervalMs,
      waitS: reportApi.syncWaitS,
      fetch: fetchFn,
      onUpdate: (entries, allow) => engine?.setDenyList(entries, allow),
      onError,
    });
  }
  engine = createEngine({ ...engineOptions, sink, onError });
  sync?.start();

  return {
    engine,
    resolveClient,
    block,
    onError,
    sync,
    async close() {
      sync?.stop();
      await engine.close();
    },
  };
}

function compileBlockResponse(options: BlockResponseOptions | undefined): WatchpostRuntime['block'] {
  const { status = 403, body = 'Forbidden', headers = {} } = options ?? {};
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(
      `options.blockResponse.status must be an HTTP status in 200..599, got ${JSON.stringify(status)}`,
    );
  }
  if (typeof body !== 'string') throw new TypeError(`options.blockResponse.body must be a string, got ${typeof body}`);
  if (headers === null || typeof headers !== 'object')
    throw new TypeError(`options.blockResponse.headers must be an object, got ${JSON.stringify(headers)}`);
  const merged: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string')
      throw new TypeError(`options.blockResponse.headers["${name}"] must be a string, got ${JSON.stringify(value)}`);
    merged[name.toLowerCase()] = value;
  }
  return { status, body, headers: merged };
}

/**
 * The request path without its query string, which no rule looks at and no event stores.
 *
 * @example
 * pathOf('/search?q=1'); // '/search'
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export type { RequestFacts };
