/** Options of `createSiteRate`. */
export interface SiteRateOptions {
  /** Events per second each site earns. */
  eventsPerSecond: number;
  /** Most events a site may send at once after a quiet spell (the bucket's size). */
  burstEvents: number;
  /** Sites remembered; the least recently seen is forgotten past this (it then starts with a full bucket). */
  maxSites?: number;
  /** Clock in epoch ms. */
  now?: () => number;
}

/** Whether a site may send now; when not, how many whole seconds until it may (for `Retry-After`). */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Per-site token buckets of events, bounded in memory by an LRU of sites. */
export interface SiteRate {
  /** Admits a request while the site's bucket is not empty (a batch may take it into debt). */
  admit(siteId: string): RateDecision;
  /** Takes `events` from the site's bucket once the batch is read (its cost is known only then). */
  charge(siteId: string, events: number): void;
  /** Sites currently remembered. */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets of events per site: a site earns `eventsPerSecond` up to `burstEvents`, a request
 * is admitted while its bucket holds any token and then charged what it carried, so one batch may
 * run the bucket into debt and the site waits until it is repaid. One site over its rate does not
 * slow any other.
 *
 * @example
 * const rate = createSiteRate({ eventsPerSecond: 50_000, burstEvents: 1_000_000 });
 * const decision = rate.admit(site.id);
 * if (!decision.ok) return c.json({ error: 'slow down' }, 429, { 'retry-after': String(decision.retryAfterSeconds) });
 * rate.charge(site.id, batch.events.length);
 */
export function createSiteRate({
  eventsPerSecond,
  burstEvents,
  maxSites = 10_000,
  now = Date.now,
}: SiteRateOptions): SiteRate {
  check(
    'eventsPerSecond',
    eventsPerSecond,
    Number.isFinite(eventsPerSecond) && eventsPerSecond > 0,
    'a positive number',
  );
  check('burstEvents', burstEvents, Number.isFinite(burstEvents) && burstEvents >= 1, 'a number >= 1');
  check('maxSites', maxSites, Number.isInteger(maxSites) && maxSites >= 1, 'a positive integer');
  // Map keeps insertion order: re-inserting on each use makes the first key the least recently seen.
  const buckets = new Map<string, Bucket>();

  function refill(siteId: string): Bucket {
    const at = now();
    const bucket = buckets.get(siteId);
    if (bucket === undefined) {
      if (buckets.size >= maxSites) buckets.delete(buckets.keys().next().value as string);
      const fresh = { tokens: burstEvents, at };
      buckets.set(siteId, fresh);
      return fresh;
    }
    buckets.delete(siteId);
    buckets.set(siteId, bucket);
    // A clock that steps back earns nothing rather than taking tokens away.
    bucket.tokens = Math.min(burstEvents, bucket.tokens + (Math.max(0, at - bucket.at) / 1000) * eventsPerSecond);
    bucket.at = at;
    return bucket;
  }

  return {
    admit(siteId) {
      const { tokens } = refill(siteId);
      if (tokens > 0) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / eventsPerSecond)) };
    },
    charge(siteId, events) {
      refill(siteId).tokens -= Math.max(0, events);
    },
    get size() {
      return buckets.size;
    },
  };
}

function check(name: string, value: unknown, ok: boolean, expected: string) {
  if (!ok) throw new TypeError(`options.${name} must be ${expected}, got ${String(value)}`);
}
