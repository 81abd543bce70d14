import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();
const MAX_ACCOUNT_LENGTH = 1024;
/** Two lower-case hex digits per byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Hashes login accounts with the site's key: the first 32 lower-case hex characters of
 * HMAC-SHA256(key, account.trim().toLowerCase()). Runtime-neutral and synchronous (`@noble/hashes`;
 * Web Crypto's HMAC is async only), so the engine never holds or sends an account in clear. The
 * key's inner and outer states are computed once and cloned per account (two compressions for a
 * short account instead of four). Returns null for an empty or non-string account. Accounts are cut
 * to 1024 characters before hashing.
 *
 * @example
 * const hash = createAccountHasher('site-secret');
 * hash('Alice@Example.com '); // 32 hex chars, the same as hash('alice@example.com')
 */
export function createAccountHasher(key: string): (account: unknown) => string | null {
  if (typeof key !== 'string' || key.length < 16) {
    throw new TypeError('options.logins.accountKey must be a string of at least 16 characters');
  }
  const keyed = hmac.create(sha256, encoder.encode(key));
  return function hashAccount(account) {
    if (typeof account !== 'string') return null;
    const text = account.slice(0, MAX_ACCOUNT_LENGTH).trim().toLowerCase();
    if (text === '') return null;
    const mac = keyed.clone().update(encoder.encode(text)).digest();
    let hex = '';
    for (let i = 0; i < 16; i++) hex += HEX[mac[i]!];
    return hex;
  };
}
