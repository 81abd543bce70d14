/**
 * Exact rate counting (`--env exact`): the isolate's engine matches each rate rule and resolves its
 * key as it does everywhere, and hands every counted (rule, key) to this link through the engine's
 * `rateSharing` contract; the worker then asks the client's Durable Object, which counts with the
 * engine's own rate rules (`BurstsDurableObject.rate`). A ban the object decides is imposed on the
 * engine, so the isolate refuses that client under that rule without asking again.
 */
import type { EngineOptions } from '@watchpost/middleware';
import type { RateRuleHit } from './bursts-do.js';
import type { EdgeRateRule } from './rate-settings.js';

type RateSharing = NonNullable<EngineOptions['rateSharing']>;
type RateSharingContext = Parameters<RateSharing['connect']>[0];
type RateSharingConnection = ReturnType<RateSharing['connect']>;

/** The link between one isolate's engine and the rate Durable Objects. */
export interface RateObjectLink {
  /** Passed to `createEngine` as `rateSharing`. */
  readonly sharing: RateSharing;
  /** The (rule, key) pairs the engine counted since the last call, with each rule's settings; clears them. */
  take(): RateRuleHit[];
  /** Imposes a ban the Durable Object decided on this isolate's engine. */
  ban(rule: string, key: string, until: number): void;
  /** A failed or abandoned call to the object (the request went through). */
  failed(): void;
}

/**
 * @example
 * const link = createRateObjectLink(settings.rateRules, settings.mode);
 * const rateRules = toEngineRateRules(settings.rateRules, { countElsewhere: true });
 * const engine = createEngine({ rateRules, rateSharing: link.sharing });
 * engine.decide(facts);
 * const hits = link.take(); // what to send to the client's object
 */
export function createRateObjectLink(rules: readonly EdgeRateRule[], mode: 'block' | 'count'): RateObjectLink {
  // The settings the object counts with, by the engine's rule name (`rate:<name>`).
  const byName = new Map<string, Omit<RateRuleHit, 'key'>>();
  for (const { name, limit, windowMs, banMs, status, action } of rules) {
    const rule = `rate:${name}`;
    byName.set(rule, { rule, limit, windowMs, banMs, status, action: mode === 'count' ? 'count' : action });
  }
  let context: RateSharingContext | null = null;
  let pending: RateRuleHit[] = [];
  const stats = { connected: true, sent: 0, dropped: 0, bansIssued: 0, errors: 0 };

  const connection: RateSharingConnection = {
    record(rule, key) {
      const settings = byName.get(rule);
      // One request counts against at most 32 rules; more means `take` was not called (a bug): drop.
      if (settings === undefined || pending.length >= 64) {
        stats.dropped++;
        return;
      }
      pending.push({ ...settings, key });
    },
    stats: () => ({ ...stats }),
    close: async () => {},
  };

  return {
    sharing: {
      connect(given) {
        context = given;
        return connection;
      },
    },
    take() {
      const hits = pending;
      if (hits.length > 0) {
        pending = [];
        stats.sent += hits.length;
      }
      return hits;
    },
    ban(rule, key, until) {
      if (context?.ban(rule, key, until)) stats.bansIssued++;
    },
    failed() {
      stats.errors++;
    },
  };
}
