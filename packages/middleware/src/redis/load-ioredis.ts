import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** The ioredis version this package is tested with; say it in the error when ioredis is missing. */
export const IOREDIS_VERSION = '6.0.0';

let loaded: typeof Redis | undefined;

/**
 * The `Redis` class of ioredis, an optional peer dependency: loaded only when a connection is made
 * from a URL (passing your own `client` needs none). Throws an Error that says what to install.
 *
 * @example
 * const RedisClient = loadIoredis();
 * const redis = new RedisClient('redis://127.0.0.1:6379');
 */
export function loadIoredis(): typeof Redis {
  if (loaded !== undefined) return loaded;
  try {
    loaded = (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;
    return loaded;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      `@watchpost/middleware/redis needs ioredis, an optional peer dependency: npm install ioredis@${IOREDIS_VERSION}`,
      { cause: error },
    );
  }
}
