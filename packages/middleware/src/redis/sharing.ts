import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';
import type { BanSharing, BanSharingConnection, BanSharingContext, SharedBanStats } from '../core/bans/shared.js';
import { createPendingCounts } from '../core/bans/pending.js';
import { backoffDelay } from '../core/forward/backoff.js';
import { LIFT_BAN, LOAD_BANS, RECORD_ERRORS, type LuaScript } from './scripts.js';

/** Options of `redisBanSharing`: give `url` or `client`, not both. */
export interface RedisBanSharingOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`; each engine opens two connections to it. */
  url?: string;
  /** A client you own: batches go through it and a duplicate subscribes; `close()` leaves it open. */
  client?: Redis | Redis<'resp3'>;
  /** More ioredis options for the connections made from `url` (TLS, Sentinel, `connectTimeout`...). */
  redisOptions?: RedisOptions;
  /** Prefix of every key and of the channel; one per site sharing a Redis. Default `watchpost:`. */
  keyPrefix?: string;
  /** Counted errors are sent at most this often, as one script call per 500 clients. Default 100 ms. */
  flushIntervalMs?: number;
  /** Most clients with errors waiting to be sent; errors of further clients are dropped (counted). Default 10 000. */
  maxPending?: number;
  /** A Redis call slower than this counts as failed (its batch is dropped, not retried). Default 1 000 ms. */
  timeoutMs?: number;
  /** Reconnection backoff (exponential with jitter) of the connections made here. Default 200 ms doubling to 10 s. */
  reconnect?: { baseMs?: number; maxMs?: number };
  random?: () => number;
}

/** The store to pass as `bans.shared`, plus an operator's way to lift a ban everywhere. */
export interface RedisBanSharing extends BanSharing {
  /**
   * Lifts `clientKey`'s shared ban (an IPv4 address, or an IPv6 block as `clientKey()` writes it,
   * `2001:db8:1:2::/64`) in Redis and in every connected instance. Resolves true when Redis held a
   * ban; rejects when no engine is connected through this object or Redis fails.
   */
  liftBan(clientKey: string): Promise<boolean>;
}

/** Clients per script call: a call blocks Redis while it runs, so batches are cut to a few ms of work. */
const CHUNK = 500;
/** How long ioredis waits for a closing socket before destroying it (its default is 2 s). */
const DISCONNECT_MS = 100;

function positive(value: unknown, name: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runScript(
  redis: Redis | Redis<'resp3'>,
  script: LuaScript,
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, 0, ...args);
  } catch (error) {
    // First call on this server (or after SCRIPT FLUSH): EVAL sends the text and caches it.
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return await redis.eval(script.lua, 0, ...args);
    throw error;
  }
}

/**
 * Shares ban counters and bans between app instances through Redis (6.2 or later; standalone or
 * Sentinel, not Cluster). Pass it as `bans.shared`; each engine built with it opens its own
 * connections, and the engine's `close()` closes them.
 *
 * `decide` stays synchronous and I/O-free: counted errors are summed per client and sent every
 * `flushIntervalMs` in one script call, which counts them in Redis's windows and, past the
 * threshold, issues one ban (escalated for repeat offenders) and publishes it; every instance
 * adds it to its local bans. An instance loads the active bans when it (re)connects. When Redis
 * is down or slow, requests are unaffected and local counting and bans go on.
 *
 * @example
 * import { watchpost } from '@watchpost/middleware/express';
 * import { redisBanSharing } from '@watchpost/middleware/redis';
 * app.use(watchpost({ bans: { threshold: 100, windowMs: 30_000,
 *   shared: redisBanSharing({ url: process.env.REDIS_URL!, keyPrefix: 'watchpost:shop:' }) } }));
 */
export function redisBanSharing({
  url,
  client,
  redisOptions = {},
  keyPrefix = 'watchpost:',
  flushIntervalMs = 100,
  maxPending = 10_000,
  timeoutMs = 1_000,
  reconnect = {},
  random = Math.random,
}: RedisBanSharingOptions): RedisBanSharing {
  if ((url === undefined) === (client === undefined))
    throw new TypeError('redisBanSharing: give exactly one of options.url and options.client');
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
    throw new TypeError(`redisBanSharing: options.url must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  }
  if (
    client !== undefined &&
    (client === null || typeof client.duplicate !== 'function' || typeof client.evalsha !== 'function')
  ) {
    throw new TypeError('redisBanSharing: options.client must be an ioredis client');
  }
  if (typeof keyPrefix !== 'string' || keyPrefix === '')
    throw new TypeError(
      `redisBanSharing: options.keyPrefix must be a non-empty string, got ${JSON.stringify(keyPrefix)}`,
    );
  positive(flushIntervalMs, 'redisBanSharing: options.flushIntervalMs');
  positive(maxPending, 'redisBanSharing: options.maxPending', true);
  positive(timeoutMs, 'redisBanSharing: options.timeoutMs');
  const { baseMs = 200, maxMs = 10_000 } = reconnect;
  positive(baseMs, 'redisBanSharing: options.reconnect.baseMs');
  positive(maxMs, 'redisBanSharing: options.reconnect.maxMs');
  if (typeof random !== 'function')
    throw new TypeError(`redisBanSharing: options.random must be a function, got ${typeof random}`);

  const where = url !== undefined ? redact(url) : 'the given client';
  const connectionOptions: RedisOptions = {
    // Fail fast instead of queueing: a batch that cannot be sent now is better dropped than late.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    retryStrategy: (attempt) => backoffDelay(attempt, { baseMs, maxMs, random }),
    connectionName: 'watchpost-bans',
    disconnectTimeout: DISCONNECT_MS,
    // A Redis that stops answering mid-command: drop the socket and reconnect rather than wait forever.
    socketTimeout: timeoutMs * 5,
  };
  /** The main client of each open connection, for liftBan. */
  const live = new Set<{ main: Redis | Redis<'resp3'> }>();

  function connect(context: BanSharingContext): BanSharingConnection {
    const { settings } = context;
    const instance = randomUUID();
    const channel = `${keyPrefix}ban-events`;
    const owned = client === undefined;
    const main = client ?? new (loadIoredis())(url!, { ...redisOptions, ...connectionOptions });
    const subscriber = main.duplicate({ ...connectionOptions, lazyConnect: false });
    const pending = createPendingCounts({ maxClients: maxPending });
    const stats = { sent: 0, dropped: 0, bansIssued: 0, bansReceived: 0, errors: 0 };
    let timer: ReturnType<typeof setTimeout> | null = null;
    let flushing: Promise<void> | null = null;
    let closed = false;
    let flushFailing = false;
    const handle = { main };
    live.add(handle);

    /** Counts every failure; tells onError the first of each run of failures, not every retry. */
    function failed(error: unknown, what: string, reported: boolean): boolean {
      stats.errors++;
      if (!reported && !closed) {
        const message = error instanceof Error ? error.message : String(error);
        context.onError(
          new Error(
            `shared bans: ${what} (${where}): ${message}; local bans go on, further failures are counted in ` +
              `stats().sharedBans`,
            { cause: error },
          ),
        );
      }
      return true;
    }

    function watch(redis: Redis | Redis<'resp3'>, name: string): void {
      let down = false;
      redis.on('error', (error: unknown) => {
        down = failed(error, `${name} connection failed`, down);
      });
      redis.on('ready', () => {
        down = false;
      });
    }
    if (owned) watch(main, 'Redis');
    watch(subscriber, 'subscriber');
    if (!owned && main.status === 'wait')
      main.connect().catch((error: unknown) => failed(error, 'connecting the given client', false));

    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel || closed) return;
      try {
        const event = JSON.parse(message) as { t?: unknown; k?: unknown; ms?: unknown; i?: unknown };
        if (typeof event.k !== 'string') return;
        if (event.t === 'ban' && typeof event.ms === 'number' && event.i !== instance) {
          if (context.ban(event.k, context.now() + event.ms)) stats.bansReceived++;
        } else if (event.t === 'lift') context.lift(event.k);
      } catch (error) {
        failed(error, 'reading a ban event', false);
      }
    });
    subscriber.on('ready', () => {
      // Subscribe first, then load: a ban published in between is then seen at least once.
      // The main connection may still be connecting (its offline queue is off): wait for it, or the
      // load fails and the bans already active in Redis are never seen.
      void withTimeout(subscriber.subscribe(channel), timeoutMs, 'SUBSCRIBE')
        .then(() => withTimeout(ready(main), timeoutMs, 'waiting for the main connection'))
        .then(() => loadBans())
        .catch((error: unknown) => failed(error, 'subscribing to ban events', false));
    });

    function ready(redis: Redis | Redis<'resp3'>): Promise<void> {
      return redis.status === 'ready'
        ? Promise.resolve()
        : new Promise((resolve) => redis.once('ready', () => resolve()));
    }

    async function loadBans(): Promise<void> {
      const reply = (await withTimeout(
        runScript(main, LOAD_BANS, [keyPrefix, settings.maxClients]),
        timeoutMs,
        'loading active bans',
      )) as unknown[];
      const now = context.now();
      for (let i = 0; i + 1 < reply.length; i += 2) {
        if (context.ban(String(reply[i]), now + Number(reply[i + 1]))) stats.bansReceived++;
      }
    }

    function schedule(): void {
      if (timer !== null || flushing !== null || closed) return;
      timer = setTimeout(flush, flushIntervalMs);
      // Pending counts are not worth keeping a process alive for.
      timer.unref?.();
    }

    function flush(): void {
      timer = null;
      if (pending.size === 0) return;
      // After an outage: errors older than the window no longer count anywhere.
      if (context.now() - pending.since > settings.windowMs) {
        stats.dropped += pending.take().errors;
        return;
      }
      // Down: keep counting (bounded by maxPending) and try again next tick.
      if (main.status !== 'ready') return schedule();
      flushing = send(pending.take()).finally(() => {
        flushing = null;
        if (pending.size > 0) schedule();
      });
    }

    async function send(batch: ReturnType<typeof pending.take>): Promise<void> {
      const base = [
        keyPrefix,
        instance,
        settings.threshold,
        settings.windowMs,
        settings.banMs,
        settings.repeatMultiplier,
        settings.maxBanMs,
        settings.forgetAfterMs,
      ];
      const chunks: Array<{ args: Array<string | number>; errors: number }> = [];
      let chunk = { args: [...base] as Array<string | number>, errors: 0 };
      for (const [key, count] of batch.counts) {
        chunk.args.push(key, count);
        chunk.errors += count;
        if (chunk.args.length - base.length >= CHUNK * 2) {
          chunks.push(chunk);
          chunk = { args: [...base], errors: 0 };
        }
      }
      if (chunk.errors > 0) chunks.push(chunk);
      // Sent together: ioredis writes them back to back, one round trip for the whole batch.
      await Promise.all(
        chunks.map(async ({ args, errors }) => {
          const call = runScript(main, RECORD_ERRORS, args) as Promise<unknown[]>;
          let issued: unknown[] | null;
          try {
            issued = await withTimeout(call, timeoutMs, 'sending a batch of errors');
            flushFailing = false;
          } catch (error) {
            flushFailing = failed(error, 'sending a batch of errors failed', flushFailing);
            // A slow call may still land. Wait for it before the next batch, so a hung Redis never piles
            // up commands (the socket timeout ends the wait); never resent, a lost count only delays a ban.
            issued = await call.catch(() => null);
          }
          if (issued === null) {
            stats.dropped += errors;
            return;
          }
          stats.sent += errors;
          const now = context.now();
          for (let i = 0; i + 2 < issued.length; i += 3) {
            stats.bansIssued++;
            context.ban(String(issued[i]), now + Number(issued[i + 1]));
          }
        }),
      );
    }

    async function disconnect(redis: Redis | Redis<'resp3'>): Promise<void> {
      if (redis.status === 'end') return;
      if (redis.status === 'reconnecting') {
        // Between two attempts: disconnect() clears the retry timer, no 'end' follows, and ioredis
        // arms a disconnectTimeout timer for the socket that is already closed. Outlive it.
        redis.disconnect();
        await new Promise((resolve) => setTimeout(resolve, DISCONNECT_MS + 10));
        return;
      }
      const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
      redis.disconnect();
      await withTimeout(ended, 1_000, 'closing a Redis connection').catch(() => {});
    }

    return {
      record(clientKey, now) {
        if (closed) return;
        if (!pending.add(clientKey, now)) stats.dropped++;
        else schedule();
      },
      stats(): SharedBanStats {
        return {
          connected: main.status === 'ready' && subscriber.status === 'ready',
          pending: pending.errors,
          ...stats,
        };
      },
      async close() {
        if (closed) return;
        closed = true;
        live.delete(handle);
        if (timer !== null) clearTimeout(timer);
        timer = null;
        if (flushing !== null) await withTimeout(flushing, timeoutMs, 'the last batch').catch(() => {});
        // Last errors, best effort: only if Redis is there right now.
        if (pending.size > 0) {
          if (main.status === 'ready') await send(pending.take());
          else stats.dropped += pending.take().errors;
        }
        await Promise.all([disconnect(subscriber), owned ? disconnect(main) : undefined]);
      },
    };
  }

  return {
    connect,
    async liftBan(clientKey) {
      if (typeof clientKey !== 'string' || clientKey === '')
        throw new TypeError(`liftBan: clientKey must be a non-empty string, got ${JSON.stringify(clientKey)}`);
      const redis = ([...live].find((h) => h.main.status === 'ready') ?? [...live][0])?.main;
      if (redis === undefined) throw new Error('liftBan: no engine is connected through this redisBanSharing');
      return (await withTimeout(runScript(redis, LIFT_BAN, [keyPrefix, clientKey]), timeoutMs, 'lifting a ban')) === 1;
    },
  };
}
