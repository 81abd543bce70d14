import { Agent, request } from 'node:http';
import type { SimulatedClock } from './clock.js';
import type { Actor, AppTarget, PlannedRequest } from './scenario.js';

/** Options of {@link playTraffic}. */
export interface PlayTrafficOptions {
  requests: readonly PlannedRequest[];
  /** Base URL of each example app, e.g. `http://127.0.0.1:41234`. */
  targets: Readonly<Record<AppTarget, string>>;
  /** Moved to each request's `ts` just before it is sent. */
  clock: SimulatedClock;
  /** Host header of every request (the site's host name). */
  host?: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Give up on one request after this long (real ms). */
  timeoutMs?: number;
  /** Called every `progressEvery` requests and at the end. */
  onProgress?: (progress: TrafficProgress) => void;
  progressEvery?: number;
  /** Stops sending new requests; the ones in flight finish. */
  signal?: AbortSignal;
}

/** Where the player is. */
export interface TrafficProgress {
  done: number;
  total: number;
  /** Simulated time of the last request sent. */
  simulatedTs: number;
}

/** What happened: answers by status and by kind of client, plus transport failures. */
export interface TrafficResult {
  sent: number;
  /** Requests that got no HTTP answer (connection error or timeout). */
  failed: number;
  statuses: Record<number, number>;
  byActor: Partial<Record<Actor, Record<number, number>>>;
  elapsedMs: number;
}

function send(agent: Agent, base: URL, r: PlannedRequest, host: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, 'user-agent': r.ua, 'x-forwarded-for': r.ip, accept: '*/*' };
    if (r.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(r.body));
    }
    const req = request(
      { agent, hostname: base.hostname, port: base.port, method: r.method, path: r.path, headers, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms: ${r.method} ${r.path}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * Plays planned requests against real HTTP servers, in time order, a few at a time. Each
 * request's client address travels in X-Forwarded-For, so the apps must trust 127.0.0.1 as a
 * proxy. Before a request leaves, the simulated clock moves to its `ts`; with `concurrency`
 * requests in flight the apps may read a clock up to that many requests ahead, which is seconds
 * of simulated time.
 *
 * @example
 * const result = await playTraffic({ requests: day.requests, clock,
 *   targets: { express: 'http://127.0.0.1:3001', hono: 'http://127.0.0.1:3002' } });
 * console.log(result.statuses[403]);
 */
export async function playTraffic(options: PlayTrafficOptions): Promise<TrafficResult> {
  const {
    requests,
    targets,
    clock,
    host = 'shop.example.jp',
    concurrency = 8,
    timeoutMs = 10_000,
    onProgress,
    progressEvery = 1000,
    signal,
  } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new TypeError(`concurrency must be a whole number from 1 to 256, got ${String(concurrency)}`);
  }
  const bases = { express: new URL(targets.express), hono: new URL(targets.hono) };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  const result: TrafficResult = { sent: 0, failed: 0, statuses: {}, byActor: {}, elapsedMs: 0 };
  let next = 0;
  let done = 0;
  let lastTs = requests[0]?.ts ?? clock.now();

  async function worker(): Promise<void> {
    while (next < requests.length && !signal?.aborted) {
      const r = requests[next++] as PlannedRequest;
      clock.advanceTo(r.ts);
      lastTs = r.ts;
      result.sent++;
      try {
        const status = await send(agent, bases[r.app], r, host, timeoutMs);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        const actor = (result.byActor[r.actor] ??= {});
        actor[status] = (actor[status] ?? 0) + 1;
      } catch {
        result.failed++;
      }
      done++;
      if (onProgress && done % progressEvery === 0) onProgress({ done, total: requests.length, simulatedTs: lastTs });
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, requests.length)) }, worker));
  } finally {
    agent.destroy();
  }
  result.elapsedMs = Math.round(performance.now() - started);
  onProgress?.({ done, total: requests.length, simulatedTs: lastTs });
  return result;
}
