import { createHash, randomBytes } from 'node:crypto';

/**
 * A random id with a readable prefix, e.g. `site_3kq8…`. 80 bits: unique enough for rows, not a secret.
 *
 * @example
 * newId('site'); // 'site_k2m9x0c4vq7d1f3a'
 */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}

/** A 256-bit API key; only `hashKey(key)` is ever stored. */
export function newKey(prefix: 'wpi' | 'wpa'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * sha256 of a clear-text key, hex. A plain hash is enough because the keys carry 256 bits of entropy
 * (a slow password hash protects guessable secrets, which these are not).
 *
 * @example
 * hashKey('wpa_…'); // '5e88…'
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
