import { MAX_BATCH_EVENTS, MAX_PATH_LENGTH, MAX_UA_LENGTH, MIN_SAMPLE_RATE } from '@watchpost/middleware/protocol';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, IngestLimits } from './env.js';
import { apiError } from './errors.js';
import { createSiteRate } from './site-rate.js';

/**
 * The longest JSON text one valid event can take: every text field at its longest in ASCII (paths
 * and hosts are ASCII on the wire; a sender percent-encodes), every number at its longest.
 */
export const MAX_EVENT_JSON_BYTES = JSON.stringify({
  ts: 8_640_000_000_000_000,
  ip: 'f'.repeat(100),
  country: 'JP',
  method: 'M'.repeat(16),
  host: 'h'.repeat(255),
  path: 'p'.repeat(MAX_PATH_LENGTH),
  status: 599,
  latencyMs: 86_399_999 + 1 / 3, // the most digits a double prints
  ua: 'u'.repeat(MAX_UA_LENGTH),
  action: 'count',
  rule: 'r'.repeat(128),
  botCategory: 'social-preview',
  sampleRate: MIN_SAMPLE_RATE * (1 + 1 / 3),
  asn: Number.MAX_SAFE_INTEGER,
}).length;

/** The largest batch a valid sender can send, decompressed: 5000 longest events plus the envelope (~16 MB). */
export const MAX_BATCH_JSON_BYTES = MAX_BATCH_EVENTS * (MAX_EVENT_JSON_BYTES + 1) + 1024;

/** Defaults of `IngestLimits`; generous enough for one site at the ingest benchmark's ~110k events/s for 10 s. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxConcurrentBodies: 16,
  maxInFlightBytes: 64 * 1024 * 1024,
  siteEventsPerSecond: 50_000,
  siteBurstEvents: 1_000_000,
  maxTrackedSites: 10_000,
};

/** What `readJsonText` reports about a body as it reads it. */
export interface BodyMeter {
  /** Counts `bytes` more of decompressed body; throws a 503 past the process-wide budget. */
  add(bytes: number): void;
  /** The number of events the body carried, once parsed. */
  events(count: number): void;
}

const meters = new WeakMap<Request, BodyMeter>();

/**
 * The meter `ingestLimits` attached to this request, if any.
 *
 * @example
 * meterOf(c.req.raw)?.add(chunk.byteLength);
 */
export function meterOf(request: Request): BodyMeter | undefined {
  return meters.get(request);
}

/**
 * Middleware for `POST /v1/events`, after the key check: refuses fast, before reading the body,
 * a site over its event rate (429) and a body past `maxConcurrentBodies` (503), both with
 * `Retry-After`; then holds the body's decompressed bytes against `maxInFlightBytes` until the
 * answer, and charges the site what the batch carried. Memory in flight is therefore bounded
 * whatever clients send at once.
 *
 * @example
 * app.post('/', requireKey(store, ['ingest']), ingestLimits(deps.limits, deps.now), handler);
 */
export function ingestLimits(
  given: Partial<IngestLimits> & { maxDecompressedBytes: number },
  now: () => number = Date.now,
) {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...definedOnly(given) };
  const { maxConcurrentBodies, maxInFlightBytes } = limits;
  const { maxDecompressedBytes } = given;
  if (!Number.isInteger(maxConcurrentBodies) || maxConcurrentBodies < 1) {
    throw new TypeError(`limits.maxConcurrentBodies must be a positive integer, got ${maxConcurrentBodies}`);
  }
  if (!(maxInFlightBytes >= maxDecompressedBytes)) {
    throw new TypeError(
      `limits.maxInFlightBytes must be at least maxDecompressedBytes (${maxDecompressedBytes}), ` +
        `got ${maxInFlightBytes}`,
    );
  }
  for (const name of ['siteEventsPerSecond', 'siteBurstEvents', 'maxTrackedSites'] as const) {
    if (!(limits[name] >= 1) || !Number.isFinite(limits[name]))
      throw new TypeError(`limits.${name} must be a number >= 1, got ${limits[name]}`);
  }
  const rate = createSiteRate({
    eventsPerSecond: limits.siteEventsPerSecond,
    burstEvents: limits.siteBurstEvents,
    maxSites: limits.maxTrackedSites,
    now,
  });
  let bodies = 0;
  let inFlightBytes = 0;

  return createMiddleware<AppEnv>(async function watchpostIngestLimits(c, next) {
    const site = c.get('site');
    const decision = rate.admit(site.id);
    if (!decision.ok) {
      throw busy(
        429,
        `this site sends more than ${limits.siteEventsPerSecond} events/s (burst ${limits.siteBurstEvents}); ` +
          `retry after ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      );
    }
    if (bodies >= maxConcurrentBodies)
      throw busy(503, `the server is reading ${bodies} batches already; retry after 1 s`, 1);
    bodies += 1;
    let held = 0;
    let events = 0;
    meters.set(c.req.raw, {
      add(bytes) {
        if (inFlightBytes + bytes > maxInFlightBytes)
          throw busy(503, 'the server holds too many large batches at once; retry after 1 s', 1);
        inFlightBytes += bytes;
        held += bytes;
      },
      events(count) {
        events = count;
      },
    });
    try {
      await next();
    } finally {
      bodies -= 1;
      inFlightBytes -= held;
      // Every request costs at least one event, so empty or refused bodies cannot be sent for free.
      rate.charge(site.id, Math.max(1, events));
    }
  });
}

function busy(status: 429 | 503, message: string, retryAfterSeconds: number) {
  const error = apiError(status, message);
  error.res?.headers.set('retry-after', String(retryAfterSeconds));
  return error;
}

/**
 * `limits` without its undefined values, so a spread over defaults keeps the defaults.
 *
 * @example
 * ({ ...DEFAULT_INGEST_LIMITS, ...definedOnly({ siteEventsPerSecond: undefined }) }).siteEventsPerSecond; // 50_000
 */
export function definedOnly<T extends object>(limits: T): Partial<T> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as Partial<T>;
}
