import { DurableObject } from 'cloudflare:workers';
import { createBanTracker, type BanOptions, type BanTracker } from '@watchpost/middleware';

/** What the Durable Object answers for each recorded response. */
export interface BurstVerdict {
  /** Epoch ms until which the client is banned, or 0 when it is not. */
  bannedUntil: number;
}

interface StoredBan {
  until: number;
}

const BAN_KEY = 'ban';

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

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.storedBan = (await ctx.storage.get<StoredBan>(BAN_KEY)) ?? null;
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
}
