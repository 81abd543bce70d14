/**
 * The runtime-neutral contract between the engine and a store that shares rate counters between
 * app instances (`redisRateSharing` from `@watchpost/middleware/redis`). Like shared bans, the
 * engine never waits: it hands over each counted request synchronously, the store batches them,
 * reads back the counts of every instance, and bans past a limit through `RateSharingContext.ban`.
 */

/** One rate rule as the store needs it. */
export interface SharedRateRule {
  /** `rate:<name>`. */
  readonly rule: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly banMs: number;
}

export interface RateSharingContext {
  readonly rules: readonly SharedRateRule[];
  now(): number;
  onError(error: unknown): void;
  /** Bans `key` under `rule` locally until `until`; true when it changed something. */
  ban(rule: string, key: string, until: number): boolean;
}

export interface SharedRateStats {
  connected: boolean;
  /** Counted requests sent, and dropped (buffer full or a failed batch). */
  sent: number;
  dropped: number;
  /** Bans applied because the instances together went past a limit. */
  bansIssued: number;
  errors: number;
}

export interface RateSharingConnection {
  /** One counted request; synchronous, no I/O, never throws. */
  record(rule: string, key: string, now: number): void;
  stats(): SharedRateStats;
  close(): Promise<void>;
}

/** A shared rate-counter store, passed as the engine's `rateSharing`. */
export interface RateSharing {
  connect(context: RateSharingContext): RateSharingConnection;
}
