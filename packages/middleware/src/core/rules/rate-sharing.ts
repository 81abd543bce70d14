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

/** The parts of the engine's compiled rate rules a shared store acts on. */
interface SharedRateTarget {
  readonly shared: readonly SharedRateRule[];
  impose(rule: string, key: string, until: number): boolean;
  onHit: ((rule: string, key: string, now: number) => void) | null;
}

/**
 * Connects the engine's `rateSharing` option to its rate rules (every counted hit then goes to the
 * store); null without a store or without rules. Throws a TypeError naming the option when it is
 * not a store.
 *
 * @example
 * const sharedRates = connectRateSharing(options.rateSharing, rates, { now: Date.now, onError });
 */
export function connectRateSharing(
  sharing: unknown,
  rates: SharedRateTarget | null,
  { now, onError }: { now: () => number; onError: (error: unknown) => void },
): RateSharingConnection | null {
  if (sharing === undefined) return null;
  if (sharing === null || typeof (sharing as { connect?: unknown }).connect !== 'function') {
    throw new TypeError('options.rateSharing must be a store with a connect method, e.g. redisRateSharing({ url })');
  }
  if (rates === null) return null;
  const connection = (sharing as RateSharing).connect({
    rules: rates.shared,
    now,
    onError,
    ban: (rule, key, until) => rates.impose(rule, key, until),
  });
  rates.onHit = (rule, key, at) => connection.record(rule, key, at);
  return connection;
}
