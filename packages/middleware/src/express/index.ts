import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import type { GeoAnswer } from '../core/client/resolve.js';
import type { ParsedIp } from '../core/ip/parse.js';
import type { LoginReport } from '../core/logins/monitor.js';
import { refusalFor } from '../core/refusal.js';
import { monotonic } from '../core/request-clock.js';
import { createWatchpostRuntime, pathOf, type WatchpostOptions } from '../core/runtime.js';
import { loadGeoLookup } from '../node/geo.js';

export type { WatchpostOptions, ReportApiOptions, BlockResponseOptions } from '../core/runtime.js';
export { ratePresets } from '../core/rules/rate-presets.js';

/** A placeholder until the engine decides (keeps one object shape per request). */
const ALLOWED_UNSEEN: Decision = Object.freeze({ action: 'allow', rule: null, botCategory: null });

/** A Node request listener: what `http.createServer` takes, and what an Express app is. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Express middleware with the engine it drives. */
export interface WatchpostMiddleware extends RequestHandler {
  engine: Engine;
  /** Stops the deny-list sync and flushes queued events; call it on shutdown. */
  close(): Promise<void>;
  /**
   * The same guard in front of a whole app at the server, outside Express's router:
   * `http.createServer(guard.wrap(app))` instead of `app.use(guard)`. It decides, refuses and
   * records exactly as the middleware does, for about half the CPU it adds to a request (the
   * router's own cost of a middleware layer is not paid; bench/throughput.bench.ts). Use one or the
   * other, not both.
   */
  wrap(app: NodeRequestListener): NodeRequestListener;
}

let sharedGeo: ((ip: ParsedIp) => GeoAnswer) | null = null;
function nodeGeo(): (ip: ParsedIp) => GeoAnswer {
  // One table per process, however many middlewares: it holds about 550 000 ranges.
  sharedGeo ??= loadGeoLookup();
  return sharedGeo;
}

/**
 * What the response's 'close' listener needs: the request as the engine saw it, its decision and
 * arrival time. One object per request (the facts themselves), not three.
 */
interface Pending extends RequestFacts {
  decision: Decision;
  receivedAt: number;
  res: Response;
  login: LoginReport | undefined;
}

/** What the middleware puts on the request: `req.watchpost?.login('failed', account)`. */
export interface WatchpostRequestApi {
  /** Reports this request's login outcome; the account is HMAC'd with `logins.accountKey`, never kept. */
  login(outcome: 'success' | 'failed', account?: string | null): void;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by Watchpost when `logins` is configured. */
      watchpost?: WatchpostRequestApi;
    }
  }
}

/**
 * Node's parsed headers as the resolver reads them. One per middleware, pointed at each request's
 * headers in turn (the resolver reads them synchronously and keeps nothing); it holds on to the
 * last request's headers object until the next request.
 */
class NodeHeaders {
  headers: IncomingHttpHeaders = {};

  get(name: string): string | null {
    const value = this.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * Watchpost for Express 4 and 5: decides each request before your routes (403 or through),
 * and records status and latency when the response finishes. Offline GeoIP is on by default.
 * If the engine throws, the error goes to `onError` and the request goes through.
 *
 * @example
 * import express from 'express';
 * import { watchpost } from '@watchpost/middleware/express';
 * const app = express();
 * const guard = watchpost({ trustedProxies: ['loopback'], sampleRate: 0.1,
 *   reportApi: { url: 'https://watchpost.example', ingestKey: process.env.WATCHPOST_INGEST_KEY! } });
 * app.use(guard);
 * process.on('SIGTERM', () => void guard.close());
 */
export function watchpost(options: WatchpostOptions = {}): WatchpostMiddleware {
  const runtime = createWatchpostRuntime(options, { source: 'express', nodeGeo, defaultGeo: true });
  const { engine, block, onError } = runtime;
  const headers = new NodeHeaders();
  // Requests get `watchpost` only when login monitoring is on (`req.watchpost?.login(...)`).
  const reportsLogins = options.logins !== undefined;

  // Called from a small closure per request: nothing is stored on the response (a property added
  // to every ServerResponse, or a bound function, each cost more than this whole function).
  function recordResponse(pending: Pending): void {
    const res = pending.res;
    try {
      // Ended: the app answered in full (even if the client left while it was being sent).
      engine.observe(
        pending,
        pending.decision,
        res.writableEnded ? res.statusCode : 0,
        monotonic.now() - pending.receivedAt,
        pending.login,
      );
    } catch (error) {
      onError(error);
    }
  }

  /** Decides a request: true when it goes on to the app, false when it was refused here. */
  function admit(req: Request, res: Response): boolean {
    const start = monotonic.now();
    let pending: Pending;
    try {
      headers.headers = req.headers;
      const client = runtime.resolveClient({ socketIp: req.socket.remoteAddress, headers });
      pending = {
        ip: client.ip,
        parsedIp: client.parsed,
        method: req.method,
        host: req.headers.host ?? '',
        path: pathOf(req.originalUrl ?? req.url),
        ua: req.headers['user-agent'] ?? '',
        country: client.country,
        asn: client.asn ?? null,
        decision: ALLOWED_UNSEEN,
        receivedAt: start,
        res,
        login: undefined,
      };
      pending.decision = engine.decide(pending);
    } catch (error) {
      onError(error);
      return true;
    }

    // 'close' comes once on every response; if the app never ended it, the client went away (status 0).
    res.on('close', () => recordResponse(pending));
    if (pending.decision.action === 'block') {
      const refusal = refusalFor(block, pending.decision);
      res.writeHead(refusal.status, refusal.headers).end(refusal.body);
      return false;
    }
    if (reportsLogins) {
      const facts = pending;
      req.watchpost = {
        login(outcome, account) {
          facts.login = { outcome, account };
        },
      };
    }
    return true;
  }

  function watchpostMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (admit(req, res)) next();
  }

  // At the server there is no `originalUrl` yet: `admit` reads `req.url`, the same path.
  const wrap = (app: NodeRequestListener): NodeRequestListener =>
    function watchpostServer(req, res) {
      if (admit(req as Request, res as Response)) app(req, res);
    };

  return Object.assign(watchpostMiddleware, { engine, close: runtime.close, wrap });
}
