import { createHash, randomBytes } from 'node:crypto';

/**
 * A random id with a readable prefix, e.g. `site_Kq8…`. 72 bits: unique enough for rows, not a
 * secret. Kept short because the site id is repeated in every raw event row and its indexes.
 *
 * @example
 * newId('site'); // 'site_k2m9X0c4vQ7d'
 */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

/**
 * A 256-bit API key; only `hashKey(key)` is ever stored.
 *
 * @example
 * newKey('wpi'); // 'wpi_3q…' (43 base64url characters after the prefix)
 */
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
