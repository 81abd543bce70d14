import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import { refusalFor } from '../core/refusal.js';
import { monotonic } from '../core/request-clock.js';
import { createWatchpostRuntime, type WatchpostOptions } from '../core/runtime.js';
import { observeSafely, requestFacts, runtimeSocketIp } from './request-facts.js';

/** Options of `watchpostFetch`: the middleware's, with `socketIp` reading the fetch arguments. */
export interface WatchpostFetchOptions<Env = unknown> extends WatchpostOptions {
  /**
   * The TCP peer address. Default: `@hono/node-server`'s `env.incoming.socket.remoteAddress`,
   * then Bun's `env.requestIP(request)`. On Cloudflare Workers there is no socket: set
   * `cdn: 'cloudflare'` and `CF-Connecting-IP` is used.
   */
  socketIp?: (request: Request, env: Env | undefined) => string | null | undefined;
}

/**
 * A fetch handler (the shape of Hono's `app.fetch`, of Workers' and Bun's `fetch`, of node-server's
 * `serve({ fetch })`).
 */
export type FetchHandler<Env = unknown, Ctx = unknown> = (
  request: Request,
  env?: Env,
  ctx?: Ctx,
) => Response | Promise<Response>;

/** The wrapped fetch handler with the engine it drives. */
export type WatchpostFetch<Env = unknown, Ctx = unknown> = FetchHandler<Env, Ctx> & {
  engine: Engine;
  /** Stops the deny-list sync and flushes queued events; call it on shutdown. */
  close(): Promise<void>;
};

function isThenable(value: unknown): value is PromiseLike<Response> {
  return typeof (value as PromiseLike<Response> | null)?.then === 'function';
}

function statusOf(response: Response | null | undefined): number {
  // A handler that settles with no Response is answered with an error by every runtime.
  return typeof response?.status === 'number' ? response.status : 500;
}

/**
 * Watchpost around a whole fetch handler instead of inside the app: the same rules, events,
 * options and fail-open behaviour as the `watchpost()` middleware, but Hono keeps its
 * one-handler fast path (no `app.use()`, so no compose and no promise per request; a route
 * that answers synchronously is observed and returned synchronously, and `@hono/node-server`
 * writes it without awaiting anything). A blocked request gets the block response without
 * reaching the app. An allowed one is observed when its Response is ready (a rejected promise,
 * or a throw, counts as 500 and is passed on). Runs on any runtime (no `node:*` imports).
 *
 * @example
 * import { serve } from '@hono/node-server';
 * import { Hono } from 'hono';
 * import { watchpostFetch } from '@watchpost/middleware/hono';
 * const app = new Hono();
 * app.get('/', (c) => c.text('home'));
 * const fetch = watchpostFetch(app.fetch, { trustedProxies: ['loopback'], reportApi: { url:
 * 'https://watchpost.example', ingestKey: 'wpi_...' } });
 * serve({ fetch });                       // Node; on Workers or Bun: export default { fetch }
 * process.on('SIGTERM', () => void fetch.close());
 */
export function watchpostFetch<Env = unknown, Ctx = unknown>(
  fetch: FetchHandler<Env, Ctx>,
  options: WatchpostFetchOptions<Env> = {},
): WatchpostFetch<Env, Ctx> {
  if (typeof fetch !== 'function')
    throw new TypeError(`watchpostFetch: fetch must be a function (e.g. app.fetch), got ${typeof fetch}`);
  if (options === null || typeof options !== 'object')
    throw new TypeError(`options must be an object, got ${JSON.stringify(options)}`);
  const { socketIp = runtimeSocketIp, ...common } = options;
  if (typeof socketIp !== 'function')
    throw new TypeError(`options.socketIp must be a function, got ${typeof socketIp}`);
  const runtime = createWatchpostRuntime(common, { source: 'hono' });
  const { engine, block, onError, resolveClient } = runtime;

  // Its own function, so the closures below are only allocated for handlers that return a promise.
  function observeWhenSettled(
    pending: PromiseLike<Response>,
    facts: RequestFacts,
    decision: Decision,
    start: number,
  ): Promise<Response> {
    return Promise.resolve(pending).then(
      (response) => {
        observeSafely(engine, onError, facts, decision, statusOf(response), start);
        return response;
      },
      (error: unknown) => {
        observeSafely(engine, onError, facts, decision, 500, start);
        throw error;
      },
    );
  }

  function guardedFetch(request: Request, env?: Env, ctx?: Ctx): Response | Promise<Response> {
    const start = monotonic.now();
    let facts: RequestFacts;
    let decision: Decision;
    try {
      facts = requestFacts(resolveClient, request, env, socketIp(request, env), start);
      decision = engine.decide(facts);
    } catch (error) {
      onError(error);
      return fetch(request, env, ctx);
    }

    if (decision.action === 'block') {
      const refusal = refusalFor(block, decision);
      observeSafely(engine, onError, facts, decision, refusal.status, start);
      return new Response(refusal.body, { status: refusal.status, headers: refusal.headers });
    }
    let result: Response | Promise<Response>;
    try {
      result = fetch(request, env, ctx);
    } catch (error) {
      observeSafely(engine, onError, facts, decision, 500, start);
      throw error;
    }
    if (isThenable(result)) return observeWhenSettled(result, facts, decision, start);
    observeSafely(engine, onError, facts, decision, statusOf(result), start);
    return result;
  }

  return Object.assign(guardedFetch, { engine, close: runtime.close });
}
