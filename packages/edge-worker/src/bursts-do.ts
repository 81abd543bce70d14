import { DurableObject } from 'cloudflare:workers';
import { createBanTracker, type BanOptions, type BanTracker } from '@watchpost/middleware';
import { createRateWindows, type RateWindows } from './rate-window.js';

/** What the Durable Object answers for each recorded response. */
export interface BurstVerdict {
  /** Epoch ms until which the client is banned, or 0 when it is not. */
  bannedUntil: number;
}

interface StoredBan {
  until: number;
}

/** One rate rule that matched a request, as the worker sends it (`key` already resolved: ip or ip+path). */
export interface RateRuleHit {
  rule: string;
  key: string;
  limit: number;
  windowMs: number;
  banMs: number;
  action: 'block' | 'count';
}

/** What the Durable Object answers for a request checked against rate rules. */
export interface RateVerdict {
  /** Epoch ms until which the client is refused by `rule`, or 0. */
  bannedUntil: number;
  /** The blocking rule's name (without the `rate:` prefix), or null. */
  rule: string | null;
  /** Count-mode rules this request went over. */
  counted: string[];
}

interface StoredRateBan {
  until: number;
  rule: string;
}

const BAN_KEY = 'ban';
const RATE_BAN_KEY = 'rate-ban';
// One object per client: its keys are (rule, ip) and (rule, ip+path), so a few hundred is plenty.
const MAX_RATE_KEYS = 512;

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
  private rateBan: StoredRateBan | null = null;
  private readonly windows: RateWindows = createRateWindows(MAX_RATE_KEYS);

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.storedBan = (await ctx.storage.get<StoredBan>(BAN_KEY)) ?? null;
      this.rateBan = (await ctx.storage.get<StoredRateBan>(RATE_BAN_KEY)) ?? null;
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

  /**
   * Counts one request of this client against the rate rules that matched it; every isolate calls the
   * same object, so the counts are exact across isolates. A block rule past its limit bans the client
   * for its `banMs` (kept in storage, so an evicted object still refuses it).
   */
  async rate(hits: RateRuleHit[], now: number): Promise<RateVerdict> {
    if (this.rateBan && this.rateBan.until > now)
      return { bannedUntil: this.rateBan.until, rule: this.rateBan.rule, counted: [] };
    const counted: string[] = [];
    for (const hit of hits) {
      if (!this.windows.hit(`${hit.rule}|${hit.key}`, now, hit.limit, hit.windowMs).over) continue;
      if (hit.action === 'count') {
        counted.push(hit.rule);
        continue;
      }
      this.rateBan = { until: now + hit.banMs, rule: hit.rule };
      await this.ctx.storage.put(RATE_BAN_KEY, this.rateBan);
      return { bannedUntil: this.rateBan.until, rule: hit.rule, counted };
    }
    return { bannedUntil: 0, rule: null, counted };
  }
}
