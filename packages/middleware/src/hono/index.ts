import type { Context, MiddlewareHandler } from 'hono';
import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import { createWatchpostRuntime, pathOf, type WatchpostOptions } from '../core/watchpost.js';

export type { WatchpostOptions, ReportApiOptions, BlockResponseOptions } from '../core/watchpost.js';

/** Options of the Hono middleware: the common ones, plus where the socket address comes from. */
export interface HonoWatchpostOptions extends WatchpostOptions {
  /**
   * The TCP peer address. Default: `@hono/node-server`'s `c.env.incoming.socket.remoteAddress`
   * (what its conninfo helper reads), then Bun's `c.env.requestIP(c.req.raw)`. On Cloudflare
   * Workers there is no socket: set `cdn: 'cloudflare'` and `CF-Connecting-IP` is used.
   */
  socketIp?: (c: Context) => string | null | undefined;
}

/** Hono middleware with the engine it drives. */
export interface WatchpostHonoMiddleware extends MiddlewareHandler {
  engine: Engine;
  /** Stops the deny-list sync and flushes queued events; call it on shutdown. */
  close(): Promise<void>;
}

interface RuntimeEnv {
  incoming?: { socket?: { remoteAddress?: string }; rawHeaders?: string[] };
  requestIP?: (request: Request) => { address?: string } | null;
}

function defaultSocketIp(c: Context): string | null | undefined {
  const env = c.env as RuntimeEnv | undefined;
  if (env === undefined || env === null) return null;
  const node = env.incoming?.socket?.remoteAddress;
  if (node !== undefined) return node;
  return typeof env.requestIP === 'function' ? env.requestIP(c.req.raw)?.address : null;
}

interface HeaderReader {
  get(name: string): string | null;
}

/**
 * On @hono/node-server, read Node's raw header list (name, value, name, value...): touching
 * `c.req.raw.headers`, or even `incoming.headers`, would build a header object per request.
 * Elsewhere, the Request's own headers. Names are asked for in lower case.
 */
function headersOf(c: Context): HeaderReader {
  const raw = (c.env as RuntimeEnv | undefined)?.incoming?.rawHeaders;
  if (!Array.isArray(raw)) return c.req.raw.headers;
  return {
    get(name) {
      let found: string | null = null;
      for (let i = 0; i < raw.length; i += 2) {
        const key = raw[i]!;
        if (key.length === name.length && key.toLowerCase() === name) {
          // Repeated headers join with ", " as Headers.get does (X-Forwarded-For over several lines).
          found = found === null ? raw[i + 1]! : `${found}, ${raw[i + 1]!}`;
        }
      }
      return found;
    },
  };
}

/** Hands the finished request to the engine; an error there is logged, never thrown into the app. */
function observeSafely(engine: Engine, onError: (error: unknown) => void, facts: RequestFacts, decision: Decision, status: number, start: number): void {
  try {
    engine.observe(facts, decision, status, performance.now() - start);
  } catch (error) {
    onError(error);
  }
}

/**
 * Watchpost for Hono on any runtime (no `node:*` imports): decides each request before your
 * routes, records status and latency after `await next()`. GeoIP is off unless you pass `geo`
 * (for Node, `geo: loadGeoLookup()` from `@watchpost/middleware/node`). If the engine throws,
 * the error goes to `onError` and the request goes through.
 *
 * @example
 * import { Hono } from 'hono';
 * import { watchpost } from '@watchpost/middleware/hono';
 * const app = new Hono();
 * app.use(watchpost({ mode: 'count', reportApi: { url: 'https://watchpost.example', ingestKey: 'wpi_...' } }));
 */
export function watchpost(options: HonoWatchpostOptions = {}): WatchpostHonoMiddleware {
  const { socketIp = defaultSocketIp, ...common } = options;
  if (typeof socketIp !== 'function') throw new TypeError(`options.socketIp must be a function, got ${typeof socketIp}`);
  const runtime = createWatchpostRuntime(common, { source: 'hono' });
  const { engine, block, onError } = runtime;

  const watchpostMiddleware: MiddlewareHandler = async function watchpostMiddleware(c, next) {
    const start = performance.now();
    let facts: RequestFacts;
    let decision: Decision;
    try {
      // The path is read from the raw URL, still percent-encoded: `c.req.path` may be decoded.
      const headers = headersOf(c);
      const url = c.req.url;
      const authority = url.indexOf('//') + 2;
      const slash = url.indexOf('/', authority);
      const client = runtime.resolveClient({ socketIp: socketIp(c), headers });
      facts = {
        ip: client.ip,
        parsedIp: client.parsed,
        method: c.req.method,
        // A Request built by fetch() has no Host header; the URL always has the authority.
        host: headers.get('host') ?? url.slice(authority, slash === -1 ? url.length : slash),
        path: slash === -1 ? '/' : pathOf(url.slice(slash)),
        ua: headers.get('user-agent') ?? '',
        country: client.country,
        asn: client.asn ?? null,
      };
      decision = engine.decide(facts);
    } catch (error) {
      onError(error);
      return next();
    }

    if (decision.action === 'block') {
      observeSafely(engine, onError, facts, decision, block.status, start);
      return new Response(block.body, { status: block.status, headers: block.headers });
    }
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // Also after a throw that escaped Hono's own error handling: that is a 500 to the client.
      observeSafely(engine, onError, facts, decision, status, start);
    }
  };

  return Object.assign(watchpostMiddleware, { engine, close: runtime.close });
}
