import { DurableObject } from 'cloudflare:workers';
import {
  compileRateRules,
  createBanTracker,
  parseIp,
  type BanOptions,
  type BanTracker,
  type ParsedIp,
  type RateHit,
  type RateRules,
  type RequestFacts,
} from '@watchpost/middleware';

/** What the Durable Object answers for each recorded response. */
export interface BurstVerdict {
  /** Epoch ms until which the client is banned, or 0 when it is not. */
  bannedUntil: number;
}

interface StoredBan {
  until: number;
}

/**
 * One rate rule a request counted against, as the worker sends it: the engine's rule name
 * (`rate:<name>`), the key the isolate's engine resolved (ip or ip+path), and the rule's settings.
 */
export interface RateRuleHit {
  rule: string;
  key: string;
  limit: number;
  windowMs: number;
  banMs: number;
  status: 403 | 429;
  /** Already `count` when the worker runs in `WATCHPOST_MODE=count`. */
  action: 'block' | 'count';
}

/** What the Durable Object answers for a request checked against rate rules. */
export interface RateVerdict {
  /** The first rule that refused the request, else the first that counted it (the engine's `RateHit`), or null. */
  hit: RateHit | null;
  /** The key `hit` was counted under. */
  key: string | null;
  /** With a block: epoch ms when the ban ends; else 0. */
  bannedUntil: number;
}

interface StoredRateBan {
  rule: string;
  key: string;
  until: number;
}

const BAN_KEY = 'ban';
const RATE_BANS_KEY = 'rate-bans';
// One object per client: its keys are (rule, ip) and (rule, ip+path), so a few hundred is plenty.
const MAX_RATE_KEYS = 512;
const MAX_RATE_RULES = 64;
const MAX_STORED_BANS = 64;
// The rules below take their key from the worker's hit, never from these facts (no match, function key).
const NO_FACTS: RequestFacts = { ip: '', method: 'GET', host: '', path: '/', ua: '', country: null };
const NO_IP = parseIp('0.0.0.0') as ParsedIp;

/**
 * Exact burst counts across isolates: one object per client key (`idFromName(clientKey(ip))`), so
 * every 4xx/5xx of a client, whichever isolate or colo served it, lands in the same counter. The
 * counting and the ban lengths are the engine's own ban tracker (`createBanTracker`), not a copy.
 * A ban is also written to storage, so an object that was evicted and restarted still reports it.
 *
 * @example
 * const stub = env.BURSTS.get(env.BURSTS.idFromName(clientKey(ip)));
 * const { bannedUntil } = await stub.record(clientKey(ip), 404, Date.now(), { threshold: 100, windowMs: 30_000 });
 */
export class BurstsDurableObject extends DurableObject {
  private tracker: BanTracker | null = null;
  private trackerOptions = '';
  private storedBan: StoredBan | null = null;
  private rateBans: StoredRateBan[] = [];
  /** One compiled engine rule per rate rule name, rebuilt when its settings change. */
  private readonly rateRules = new Map<string, { settings: string; rates: RateRules }>();
  private currentKey: string | null = null;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.storedBan = (await ctx.storage.get<StoredBan>(BAN_KEY)) ?? null;
      this.rateBans = (await ctx.storage.get<StoredRateBan[]>(RATE_BANS_KEY)) ?? [];
    });
  }

  private trackerFor(options: BanOptions): BanTracker {
    // Options come from the calling worker's settings; a redeploy with new settings rebuilds the tracker.
    const key = JSON.stringify(options);
    if (this.tracker === null || key !== this.trackerOptions) {
      this.tracker = createBanTracker({ ...options, maxClients: 16 });
      this.trackerOptions = key;
    }
    return this.tracker;
  }

  /** Records one response of `client`; answers whether the client is banned now. */
  async record(client: string, status: number, now: number, options: BanOptions): Promise<BurstVerdict> {
    if (this.storedBan && this.storedBan.until > now) return { bannedUntil: this.storedBan.until };
    const banMs = this.trackerFor(options).record(client, status, now);
    if (banMs === 0) return { bannedUntil: 0 };
    this.storedBan = { until: now + banMs };
    await this.ctx.storage.put(BAN_KEY, this.storedBan);
    return { bannedUntil: this.storedBan.until };
  }

  /** Whether `client` is banned at `now` (read-only). */
  async bannedUntil(now: number): Promise<number> {
    return this.storedBan && this.storedBan.until > now ? this.storedBan.until : 0;
  }

  private ratesFor(hit: RateRuleHit): RateRules {
    const { rule, limit, windowMs, banMs, status, action } = hit;
    const settings = `${limit}|${windowMs}|${banMs}|${status}|${action}`;
    let entry = this.rateRules.get(rule);
    if (entry === undefined || entry.settings !== settings) {
      if (!rule.startsWith('rate:')) throw new TypeError(`rate: rule must be rate:<name>, got ${JSON.stringify(rule)}`);
      if (this.rateRules.size >= MAX_RATE_RULES) this.rateRules.clear();
      // The engine's own rule (same window maths, bans and validation); its key is the isolate's.
      const definition = { name: rule.slice(5), limit, windowMs, banMs, status, action, maxClients: MAX_RATE_KEYS };
      const rates = compileRateRules([{ ...definition, key: () => this.currentKey }], {
        mode: 'block',
        onError: (error) => console.error('watchpost rate object:', error),
        clientKey: () => '',
      }) as RateRules;
      for (const ban of this.rateBans) if (ban.rule === rule) rates.impose(ban.rule, ban.key, ban.until);
      entry = { settings, rates };
      this.rateRules.set(rule, entry);
    }
    return entry.rates;
  }

  private async storeBan(ban: StoredRateBan, now: number): Promise<void> {
    const kept = this.rateBans.filter((old) => old.until > now && (old.rule !== ban.rule || old.key !== ban.key));
    this.rateBans = [...kept.slice(-(MAX_STORED_BANS - 1)), ban];
    await this.ctx.storage.put(RATE_BANS_KEY, this.rateBans);
  }

  /**
   * Counts one request of this client against the rate rules its isolate matched, in the engine's
   * rule order; every isolate calls the same object, so the counts are exact across isolates. A
   * block rule past its limit bans the (rule, key) for its `banMs`, as the engine does (kept in
   * storage, so an evicted object still refuses it). The first refusal wins, as in the engine.
   */
  async rate(hits: RateRuleHit[], now: number): Promise<RateVerdict> {
    let counted: RateVerdict | null = null;
    for (const hit of hits) {
      const rates = this.ratesFor(hit);
      let fresh = false;
      rates.onHit = () => {
        fresh = true;
      };
      this.currentKey = hit.key;
      const result = rates.check(NO_FACTS, NO_IP, null, now);
      this.currentKey = null;
      if (result === null) continue;
      if (result.action === 'count') {
        counted ??= { hit: result, key: hit.key, bannedUntil: 0 };
        continue;
      }
      const stored = this.rateBans.find((ban) => ban.rule === hit.rule && ban.key === hit.key && ban.until > now);
      const bannedUntil = fresh || stored === undefined ? now + hit.banMs : stored.until;
      if (fresh) await this.storeBan({ rule: hit.rule, key: hit.key, until: bannedUntil }, now);
      return { hit: result, key: hit.key, bannedUntil };
    }
    return counted ?? { hit: null, key: null, bannedUntil: 0 };
  }
}
