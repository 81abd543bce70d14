import type { LoginReport } from '../core/logins/monitor.js';
import type { ClientRequest, HeadersLike, ResolvedClient } from '../core/client/resolve.js';
import type { Decision, Engine, RequestFacts } from '../core/engine.js';
import { monotonic } from '../core/request-clock.js';
import { pathOf } from '../core/runtime.js';

/** The parts of the runtime's second fetch argument Watchpost reads: `@hono/node-server`'s and Bun's. */
interface RuntimeEnv {
  incoming?: { socket?: { remoteAddress?: string }; rawHeaders?: string[] };
  requestIP?: (request: Request) => { address?: string } | null;
}

/**
 * The TCP peer address the runtime hands over beside the Request: `@hono/node-server`'s
 * `env.incoming.socket.remoteAddress` (what its conninfo helper reads), then Bun's
 * `env.requestIP(request)`; null elsewhere (Workers, `app.request()`).
 *
 * @example
 * runtimeSocketIp(request, { incoming: { socket: { remoteAddress: '::ffff:127.0.0.1' } } }); // '::ffff:127.0.0.1'
 */
export function runtimeSocketIp(request: Request, env: unknown): string | null | undefined {
  if (env === undefined || env === null) return null;
  const node = (env as RuntimeEnv).incoming?.socket?.remoteAddress;
  if (node !== undefined) return node;
  const { requestIP } = env as RuntimeEnv;
  return typeof requestIP === 'function' ? requestIP(request)?.address : null;
}

/**
 * Node's raw header list (name, value, name, value...) read in place: touching the Request's
 * headers, or even `incoming.headers`, would build a header object per request. A class, not a
 * closure per request: one small object of one shape. Names are asked for in lower case.
 */
class RawHeaders implements HeadersLike {
  constructor(private readonly raw: readonly string[]) {}

  get(name: string): string | null {
    const raw = this.raw;
    let found: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i]!;
      if (key.length === name.length && (key === name || key.toLowerCase() === name)) {
        // Repeated headers join with ", " as Headers.get does (X-Forwarded-For over several lines).
        found = found === null ? raw[i + 1]! : `${found}, ${raw[i + 1]!}`;
      }
    }
    return found;
  }
}

/**
 * Builds what the engine decides on from a Web Request and the runtime's `env`, the same way
 * for the middleware and the fetch wrapper: headers from node-server's raw list when there is
 * one, the path still percent-encoded from the raw URL (`c.req.path` may be decoded) and
 * without its query, the host from the Host header or else the URL.
 *
 * @example
 * const facts = requestFacts(runtime.resolveClient, request, env, runtimeSocketIp(request, env));
 * runtime.engine.decide(facts);
 */
export function requestFacts(
  resolveClient: (request: ClientRequest) => ResolvedClient,
  request: Request,
  env: unknown,
  socketIp: string | null | undefined,
  receivedAt?: number,
): RequestFacts {
  const raw = (env as RuntimeEnv | undefined)?.incoming?.rawHeaders;
  const headers: HeadersLike = Array.isArray(raw) ? new RawHeaders(raw) : request.headers;
  const url = request.url;
  const authority = url.indexOf('//') + 2;
  const slash = url.indexOf('/', authority);
  const client = resolveClient({ socketIp, headers });
  return {
    ip: client.ip,
    parsedIp: client.parsed,
    method: request.method,
    // A Request built by fetch() has no Host header; the URL always has the authority.
    host: headers.get('host') ?? url.slice(authority, slash === -1 ? url.length : slash),
    path: slash === -1 ? '/' : pathOf(url.slice(slash)),
    ua: headers.get('user-agent') ?? '',
    country: client.country,
    asn: client.asn ?? null,
    receivedAt,
  };
}

/**
 * Hands the finished request to the engine; an error there goes to `onError`, never into the app.
 *
 * @example
 * observeSafely(engine, onError, facts, decision, response.status, start);
 */
export function observeSafely(
  engine: Engine,
  onError: (error: unknown) => void,
  facts: RequestFacts,
  decision: Decision,
  status: number,
  start: number,
  login?: LoginReport,
): void {
  try {
    engine.observe(facts, decision, status, monotonic.now() - start, login);
  } catch (error) {
    onError(error);
  }
}
