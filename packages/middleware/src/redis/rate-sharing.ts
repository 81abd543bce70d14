import type { RedisOptions } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';
import type {
  RateSharing,
  RateSharingConnection,
  RateSharingContext,
  SharedRateRule,
} from '../core/rules/rate-sharing.js';

/** Options of `redisRateSharing`. */
export interface RedisRateSharingOptions {
  /** `redis://...` or `rediss://...`; each engine opens one connection. */
  url: string;
  redisOptions?: RedisOptions;
  /** Prefix of every key; one per site sharing a Redis. Default `watchpost:`. */
  keyPrefix?: string;
  /** Counts are sent (and the shared totals read back) at most this often. Default 100 ms. */
  flushIntervalMs?: number;
  /** Most distinct (rule, client) counts waiting; further ones are dropped (counted). Default 10 000. */
  maxPending?: number;
  /** A batch slower than this counts as failed and is dropped. Default 1 000 ms. */
  timeoutMs?: number;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`redisRateSharing: options.${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Shares rate-rule counters through Redis: each instance adds its batched counts to one key per
 * (rule, client, fixed window) with INCRBY, reads the previous window's key in the same pipeline,
 * and bans locally when the sliding estimate of all instances together passes the rule's limit,
 * so instances behind one load balancer refuse a client together (each from its first batch after
 * the sum passed the limit: one flush interval, 100 ms by default). Fail-open: when Redis is down
 * batches are dropped and counted, local counting and refusals go on.
 *
 * @example
 * import { redisRateSharing } from '@watchpost/middleware/redis';
 * watchpost({ rateRules, rateSharing: redisRateSharing({ url: 'redis://10.0.0.5:6379' }) });
 */
export function redisRateSharing({
  url,
  redisOptions = {},
  keyPrefix = 'watchpost:',
  flushIntervalMs = 100,
  maxPending = 10_000,
  timeoutMs = 1_000,
}: RedisRateSharingOptions): RateSharing {
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new TypeError('redisRateSharing: options.url must be a redis:// or rediss:// URL');
  }
  if (typeof keyPrefix !== 'string' || keyPrefix === '') {
    throw new TypeError('redisRateSharing: options.keyPrefix must be a non-empty string');
  }
  positiveInteger(flushIntervalMs, 'flushIntervalMs');
  positiveInteger(maxPending, 'maxPending');
  positiveInteger(timeoutMs, 'timeoutMs');

  function connect(context: RateSharingContext): RateSharingConnection {
    const rules = new Map<string, SharedRateRule>(context.rules.map((rule) => [rule.rule, rule]));
    const redis = new (loadIoredis())(url, {
      ...redisOptions,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectionName: 'watchpost-rates',
      retryStrategy: (attempt) => Math.min(10_000, 200 * 2 ** Math.min(attempt, 6)),
    });
    redis.on('error', () => {});
    let pending = new Map<string, { rule: SharedRateRule; key: string; count: number; at: number }>();
    const stats = { sent: 0, dropped: 0, bansIssued: 0, errors: 0 };
    let timer: ReturnType<typeof setTimeout> | null = null;
    let flushing: Promise<void> | null = null;
    let closed = false;

    function fail(error: unknown, lost: number): void {
      stats.errors++;
      stats.dropped += lost;
      context.onError(error);
    }

    async function send(batch: typeof pending): Promise<void> {
      const entries = [...batch.values()];
      let lost = 0;
      for (const entry of entries) lost += entry.count;
      if (redis.status !== 'ready') return fail(new Error(`redisRateSharing: Redis not ready (${redis.status})`), lost);
      const pipeline = redis.pipeline();
      const now = context.now();
      for (const { rule, key, count } of entries) {
        const window = Math.floor(now / rule.windowMs);
        const base = `${keyPrefix}rate:${rule.rule}:${key}:`;
        pipeline.incrby(`${base}${window}`, count).pexpire(`${base}${window}`, rule.windowMs * 2);
        pipeline.get(`${base}${window - 1}`);
      }
      try {
        const results = (await pipeline.exec()) ?? [];
        stats.sent += lost;
        entries.forEach(({ rule, key }, i) => {
          const [currentError, current] = results[i * 3] ?? [];
          const [previousError, previous] = results[i * 3 + 2] ?? [];
          if (currentError || previousError) return void stats.errors++;
          const window = Math.floor(now / rule.windowMs);
          const overlap = 1 - (now - window * rule.windowMs) / rule.windowMs;
          const total = Number(current) + Number(previous ?? 0) * overlap;
          if (total > rule.limit && context.ban(rule.rule, key, now + rule.banMs)) stats.bansIssued++;
        });
      } catch (error) {
        fail(error, lost);
      }
    }

    function flush(): void {
      timer = null;
      if (pending.size === 0 || flushing !== null) return;
      const batch = pending;
      pending = new Map();
      flushing = send(batch).finally(() => {
        flushing = null;
        if (pending.size > 0 && !closed) timer ??= setTimeout(flush, flushIntervalMs);
      });
    }

    return {
      record(ruleName, key, now) {
        const rule = rules.get(ruleName);
        if (rule === undefined || closed) return;
        const id = `${ruleName}\n${key}`;
        const entry = pending.get(id);
        if (entry !== undefined) entry.count++;
        else if (pending.size >= maxPending) stats.dropped++;
        else pending.set(id, { rule, key, count: 1, at: now });
        timer ??= setTimeout(flush, flushIntervalMs);
      },
      stats() {
        return { connected: redis.status === 'ready', ...stats };
      },
      async close() {
        closed = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        await flushing;
        flush();
        await flushing;
        redis.disconnect();
      },
    };
  }

  return { connect };
}
