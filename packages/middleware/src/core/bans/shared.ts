/**
 * The runtime-neutral contract between the engine and a store that shares ban counters between
 * app instances (Redis through `@watchpost/middleware/redis`; a Durable Object or another store
 * can implement it too). The engine never waits on the store: it hands over counted errors
 * synchronously, the store buffers and sends them, and bans the store decides come back through
 * `BanSharingContext.ban`, into the engine's local ban set that `decide` reads.
 */

/** The ban settings in force, with every default filled in. */
export interface ResolvedBanSettings {
  threshold: number;
  windowMs: number;
  banMs: number;
  repeatMultiplier: number;
  maxBanMs: number;
  forgetAfterMs: number;
  statuses: 'errors' | '4xx';
  maxClients: number;
}

/** What the engine hands a store when it connects. */
export interface BanSharingContext {
  /** The engine's ban settings: the store counts and escalates with the same numbers. */
  settings: Readonly<ResolvedBanSettings>;
  /** The engine's clock (epoch ms). */
  now(): number;
  /** Reports an error the store swallowed (the engine's `onError`; counted in `stats().errors`). */
  onError(error: unknown): void;
  /**
   * Bans `clientKey` locally until `until` (engine clock), or extends a shorter ban. True when it changed something.
   */
  ban(clientKey: string, until: number): boolean;
  /** Lifts `clientKey`'s ban locally. True when there was one. */
  lift(clientKey: string): boolean;
}

/** Counters of a shared-ban connection, in `engine.stats().sharedBans`. */
export interface SharedBanStats {
  /** Whether the store is reachable right now. */
  connected: boolean;
  /** Errors counted locally and not sent yet. */
  pending: number;
  /** Errors sent to the store. */
  sent: number;
  /**
   * Errors never sent: the pending buffer was full, the batch went stale while the store was down, or its send failed.
   */
  dropped: number;
  /** Bans this instance issued through the store. */
  bansIssued: number;
  /** Bans other instances issued that this one applied (broadcast or loaded at start). */
  bansReceived: number;
  /** Store errors (connection, timeouts, failed batches). */
  errors: number;
}

/** One engine's live link to the store. */
export interface BanSharingConnection {
  /**
   * One counted error of `clientKey` at `now` (already filtered by `statuses` and grouped by
   * `ipv6Prefix`). Called on the request path: it must be synchronous, do no I/O and never throw.
   */
  record(clientKey: string, now: number): void;
  stats(): SharedBanStats;
  /** Sends what is pending (best effort) and releases every connection and timer. Never rejects. */
  close(): Promise<void>;
}

/**
 * A shared ban store, passed as `bans.shared`. `connect` is called once per engine, when the
 * engine is built, and must not throw for a store that is unreachable (fail open).
 *
 * @example
 * import { redisBanSharing } from '@watchpost/middleware/redis';
 * const engine = createEngine({ bans: { threshold: 100, shared: redisBanSharing({ url: 'redis://10.0.0.5:6379' }) } });
 */
export interface BanSharing {
  connect(context: BanSharingContext): BanSharingConnection;
}

/** The parts of the engine's ban tracker a shared store acts on. */
interface SharedBanTarget {
  readonly settings: Readonly<ResolvedBanSettings>;
  impose(key: string, until: number, now: number): boolean;
  lift(key: string, now: number): boolean;
}

/**
 * Connects the engine's `bans.shared` option to its ban tracker; null without one. Throws a TypeError
 * naming the option when it is not a store.
 *
 * @example
 * const sharedBans = connectBanSharing(options.bans?.shared, tracker, { now: Date.now, onError });
 */
export function connectBanSharing(
  shared: unknown,
  tracker: SharedBanTarget,
  { now, onError }: { now: () => number; onError: (error: unknown) => void },
): BanSharingConnection | null {
  if (shared === undefined) return null;
  if (shared === null || typeof (shared as { connect?: unknown }).connect !== 'function') {
    throw new TypeError('options.bans.shared must be a ban store with a connect method, e.g. redisBanSharing({ url })');
  }
  return (shared as BanSharing).connect({
    settings: tracker.settings,
    now,
    onError,
    ban: (key, until) => tracker.impose(key, until, now()),
    lift: (key) => tracker.lift(key, now()),
  });
}
