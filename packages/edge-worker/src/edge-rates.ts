/**
 * Rate rules at the edge. Matching (method, path prefix, bot category) and the per-client key happen
 * in the isolate; counting happens in the isolate (default) or in the client's Durable Object
 * (`--env exact`, so every isolate agrees). A client past a block rule's limit is refused with
 * `rate:<name>` until its ban ends.
 */
import { clientKey, type BotCategory, type RequestFacts } from '@watchpost/middleware';
import type { RateRuleHit, RateVerdict } from './bursts-do.js';
import type { EdgeRateRule } from './rate-settings.js';
import { createRateWindows, Generations } from './rate-window.js';

/** A request refused by a rate rule, or recorded only (count mode). */
export interface EdgeRateOutcome {
  rule: EdgeRateRule;
  action: 'block' | 'count';
  /** Seconds until the ban ends (rounded up, at least 1). */
  retryAfterS: number;
}

export interface EdgeRates {
  /** The rules this request matches, with their keys resolved, for the Durable Object. */
  hits(facts: RequestFacts, botCategory: BotCategory | null): RateRuleHit[];
  /** Counts in this isolate and answers the outcome. */
  checkLocal(facts: RequestFacts, botCategory: BotCategory | null, now: number): EdgeRateOutcome | null;
  /** Turns a Durable Object verdict into an outcome, and remembers its ban in this isolate. */
  fromVerdict(facts: RequestFacts, verdict: RateVerdict, now: number): EdgeRateOutcome | null;
  /** A ban this isolate already knows, so the Durable Object need not be asked again. */
  knownBan(facts: RequestFacts, now: number): EdgeRateOutcome | null;
}

const MAX_BANS = 10_000;

function matches(rule: EdgeRateRule, facts: RequestFacts, botCategory: BotCategory | null): boolean {
  const match = rule.match;
  if (!match) return true;
  if (match.methods && !match.methods.includes(facts.method.toUpperCase())) return false;
  if (match.paths && !match.paths.some((prefix) => facts.path.startsWith(prefix))) return false;
  if (match.botCategories && !match.botCategories.includes(botCategory ?? 'browser')) return false;
  return true;
}

/**
 * @example
 * const rates = createEdgeRates(settings.rateRules, settings.mode);
 * const outcome = rates.checkLocal(facts, decision.botCategory, Date.now());
 */
export function createEdgeRates(rules: readonly EdgeRateRule[], mode: 'block' | 'count', maxKeys = 50_000): EdgeRates {
  const windows = createRateWindows(maxKeys);
  const bans = new Generations<{ until: number; rule: EdgeRateRule }>(MAX_BANS);
  const byName = new Map(rules.map((rule) => [rule.name, rule]));

  function outcome(rule: EdgeRateRule, until: number, now: number): EdgeRateOutcome {
    const action = rule.action === 'block' && mode === 'block' ? 'block' : 'count';
    return { rule, action, retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  function hitsFor(facts: RequestFacts, botCategory: BotCategory | null, client: string): RateRuleHit[] {
    const hits: RateRuleHit[] = [];
    for (const rule of rules) {
      if (!matches(rule, facts, botCategory)) continue;
      const key = rule.key === 'ip+path' ? `${client} ${facts.path}` : client;
      const { name, limit, windowMs, banMs, action } = rule;
      hits.push({ rule: name, key, limit, windowMs, banMs, action });
    }
    return hits;
  }

  function bannedNow(client: string, now: number): EdgeRateOutcome | null {
    const known = bans.get(client);
    return known && known.until > now ? outcome(known.rule, known.until, now) : null;
  }

  const api: EdgeRates = {
    hits: (facts, botCategory) => hitsFor(facts, botCategory, clientKey(facts.ip)),
    knownBan: (facts, now) => bannedNow(clientKey(facts.ip), now),
    checkLocal(facts, botCategory, now) {
      const client = clientKey(facts.ip);
      const banned = bannedNow(client, now);
      if (banned) return banned;
      let counted: EdgeRateOutcome | null = null;
      for (const rule of rules) {
        if (!matches(rule, facts, botCategory)) continue;
        const key = rule.key === 'ip+path' ? `${rule.name}|${client} ${facts.path}` : `${rule.name}|${client}`;
        if (!windows.hit(key, now, rule.limit, rule.windowMs).over) continue;
        if (rule.action === 'count') {
          counted ??= outcome(rule, now + rule.windowMs, now);
          continue;
        }
        bans.set(client, { until: now + rule.banMs, rule });
        return outcome(rule, now + rule.banMs, now);
      }
      return counted;
    },
    fromVerdict(facts, verdict, now) {
      const blocking = verdict.rule === null ? undefined : byName.get(verdict.rule);
      if (blocking && verdict.bannedUntil > now) {
        bans.set(clientKey(facts.ip), { until: verdict.bannedUntil, rule: blocking });
        return outcome(blocking, verdict.bannedUntil, now);
      }
      const counted = verdict.counted.length > 0 ? byName.get(verdict.counted[0] as string) : undefined;
      return counted ? outcome(counted, now + counted.windowMs, now) : null;
    },
  };
  return api;
}
