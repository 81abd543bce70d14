import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import type { GeoAnswer } from '../core/client/resolve.js';
import type { ParsedIp } from '../core/ip/parse.js';
import { createWatchpostRuntime, pathOf, type WatchpostOptions } from '../core/watchpost.js';
import { loadGeoLookup } from '../node/geo.js';

export type { WatchpostOptions, ReportApiOptions, BlockResponseOptions } from '../core/watchpost.js';

/** Express middleware with the engine it drives. */
export interface WatchpostMiddleware extends RequestHandler {
  engine: Engine;
  /** Stops the deny-list sync and flushes queued events; call it on shutdown. */
  close(): Promise<void>;
}

let sharedGeo: ((ip: ParsedIp) => GeoAnswer) | null = null;
function nodeGeo(): (ip: ParsedIp) => GeoAnswer {
  // One table per process, however many middlewares: it holds about 550 000 ranges.
  sharedGeo ??= loadGeoLookup();
  return sharedGeo;
}

/** What the response's 'close' listener needs: the request as the engine decided it. */
interface Pending {
  facts: RequestFacts;
  decision: Decision;
  start: number;
}
/** A response carrying its pending state under a symbol private to one middleware instance. */
type PendingResponse = Response & Record<symbol, Pending | undefined>;

function headerReader(headers: IncomingHttpHeaders) {
  return {
    get(name: string): string | null {
      const value = headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
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

  // Per instance, so two Watchpost middlewares on one app never read each other's state.
  const kPending = Symbol('watchpost.pending');
  function recordResponse(this: PendingResponse): void {
    const pending = this[kPending];
    if (pending === undefined) return;
    this[kPending] = undefined;
    try {
      engine.observe(pending.facts, pending.decision, this.writableFinished ? this.statusCode : 0, performance.now() - pending.start);
    } catch (error) {
      onError(error);
    }
  }

  function watchpostMiddleware(req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    let facts: RequestFacts;
    let decision: Decision;
    try {
      const client = runtime.resolveClient({ socketIp: req.socket.remoteAddress, headers: headerReader(req.headers) });
      facts = {
        ip: client.ip,
        parsedIp: client.parsed,
        method: req.method,
        host: req.headers.host ?? '',
        path: pathOf(req.originalUrl ?? req.url),
        ua: req.headers['user-agent'] ?? '',
        country: client.country,
        asn: client.asn ?? null,
      };
      decision = engine.decide(facts);
    } catch (error) {
      onError(error);
      return next();
    }

    // 'close' follows 'finish' on every response; without 'finish' the client went away (status 0).
    // One shared listener reads the request's state from the response: no closure, no `once`
    // wrapper per request (both showed in CPU profiles under load).
    (res as PendingResponse)[kPending] = { facts, decision, start };
    res.on('close', recordResponse);
    if (decision.action === 'block') {
      res.writeHead(block.status, block.headers).end(block.body);
      return;
    }
    next();
  }

  return Object.assign(watchpostMiddleware, { engine, close: runtime.close });
}
