import type { Context, MiddlewareHandler } from 'hono';
import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import type { LoginReport } from '../core/logins/monitor.js';
import { refusalFor } from '../core/refusal.js';
import { monotonic } from '../core/request-clock.js';
import { createWatchpostRuntime, type WatchpostOptions } from '../core/runtime.js';
import { observeSafely, requestFacts, runtimeSocketIp } from './request-facts.js';

/** Options of the Hono middleware: the common ones, plus where the socket address comes from. */
export interface HonoWatchpostOptions extends WatchpostOptions {
  /**
   * The TCP peer address. Default: `@hono/node-server`'s `c.env.incoming.socket.remoteAddress`
   * (what its conninfo helper reads), then Bun's `c.env.requestIP(c.req.raw)`. On Cloudflare
   * Workers there is no socket: set `cdn: 'cloudflare'` and `CF-Connecting-IP` is used.
   */
  socketIp?: (c: Context) => string | null | undefined;
}

/** What the middleware puts on the context: `c.get('watchpost')?.login('failed', account)`. */
export interface WatchpostContext {
  /** Reports this request's login outcome; the account is HMAC'd with `logins.accountKey`, never kept. */
  login(outcome: 'success' | 'failed', account?: string | null): void;
}

/** The middleware's context variables, for `new Hono<{ Variables: WatchpostVariables }>()`. */
export interface WatchpostVariables {
  watchpost?: WatchpostContext;
}

/** Hono middleware with the engine it drives. */
export interface WatchpostHonoMiddleware extends MiddlewareHandler<{ Variables: WatchpostVariables }> {
  engine: Engine;
  /** Stops the deny-list sync and flushes queued events; call it on shutdown. */
  close(): Promise<void>;
}

function defaultSocketIp(c: Context): string | null | undefined {
  return runtimeSocketIp(c.req.raw, c.env);
}

/**
 * Watchpost for Hono on any runtime (no `node:*` imports): decides each request before your
 * routes, records status and latency after `await next()`. GeoIP is off unless you pass `geo`
 * (for Node, `geo: loadGeoLookup()` from `@watchpost/middleware/node`). If the engine throws,
 * the error goes to `onError` and the request goes through. Any `app.use()` middleware takes
 * Hono off its one-handler fast path; `watchpostFetch` wraps `app.fetch` instead and keeps it.
 *
 * @example
 * import { Hono } from 'hono';
 * import { watchpost } from '@watchpost/middleware/hono';
 * const app = new Hono();
 * app.use(watchpost({ mode: 'count', reportApi: { url: 'https://watchpost.example', ingestKey: 'wpi_...' } }));
 */
export function watchpost(options: HonoWatchpostOptions = {}): WatchpostHonoMiddleware {
  const { socketIp = defaultSocketIp, ...common } = options;
  if (typeof socketIp !== 'function')
    throw new TypeError(`options.socketIp must be a function, got ${typeof socketIp}`);
  const runtime = createWatchpostRuntime(common, { source: 'hono' });
  const { engine, block, onError, resolveClient } = runtime;
  // The context gets `watchpost` only when login monitoring is on (`c.get('watchpost')?.login(...)`).
  const reportsLogins = common.logins !== undefined;

  const watchpostMiddleware: MiddlewareHandler<{ Variables: WatchpostVariables }> = async function watchpostMiddleware(
    c,
    next,
  ) {
    const start = monotonic.now();
    let facts: RequestFacts;
    let decision: Decision;
    try {
      facts = requestFacts(resolveClient, c.req.raw, c.env, socketIp(c), start);
      decision = engine.decide(facts);
    } catch (error) {
      onError(error);
      return next();
    }

    if (decision.action === 'block') {
      const refusal = refusalFor(block, decision);
      observeSafely(engine, onError, facts, decision, refusal.status, start);
      return new Response(refusal.body, { status: refusal.status, headers: refusal.headers });
    }
    let login: LoginReport | undefined;
    if (reportsLogins) {
      c.set('watchpost', {
        login(outcome, account) {
          login = { outcome, account };
        },
      });
    }
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // Also after a throw that escaped Hono's own error handling: that is a 500 to the client.
      observeSafely(engine, onError, facts, decision, status, start, login);
    }
  };

  return Object.assign(watchpostMiddleware, { engine, close: runtime.close });
}
