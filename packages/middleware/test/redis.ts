import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis the shared-ban tests use; `.ci/run` starts one on 127.0.0.1:6379. */
export const REDIS_URL = process.env.WATCHPOST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';

/** Answers null when a Redis answers PING at `url` within a second, else why not. */
function probe(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(1_000, () => done('no answer within 1 s'));
    socket.once('error', (error) => done(error.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) =>
      done(
        /^\+PONG|^-NOAUTH/.test(data.toString())
          ? null
          : `unexpected answer ${JSON.stringify(data.toString().slice(0, 40))}`,
      ),
    );
  });
}

/** Why Redis cannot be used here, or null when it can. */
export const redisMissing = await probe(REDIS_URL);

if (redisMissing !== null && !IN_CI) {
  console.warn(
    `\n!!! shared-ban Redis tests SKIPPED: no Redis at ${REDIS_URL} (${redisMissing}). Start one with\n` +
      `!!!   redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
      '!!! or set WATCHPOST_REDIS_URL. In CI (CI=true) they fail instead.\n',
  );
}

/** Skip only outside CI: with CI=true a missing Redis fails the suite (see `requireRedis`). */
export const skipRedis = redisMissing !== null && !IN_CI;

/** Call in `beforeAll`: throws a clear error in CI when Redis is missing. */
export function requireRedis(): void {
  if (redisMissing !== null) {
    throw new Error(
      `CI=true but no Redis answers at ${REDIS_URL} (${redisMissing}): .ci/run starts redis-server before the tests`,
    );
  }
}

/** A key prefix of its own for one test, and a way to delete every key under it. */
export function testPrefix(admin: Redis): { keyPrefix: string; cleanup(): Promise<void> } {
  const keyPrefix = `watchpost-test:${randomUUID()}:`;
  return {
    keyPrefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
  };
}
