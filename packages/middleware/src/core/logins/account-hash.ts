import { createHmacSha256 } from './hmac-sha256.js';

const MAX_ACCOUNT_LENGTH = 1024;

/**
 * Hashes login accounts with the site's key: the first 32 lower-case hex characters of
 * HMAC-SHA256(key, account.trim().toLowerCase()). Runtime-neutral and synchronous
 * (`./hmac-sha256.ts`: ~1 µs an account), so the engine never holds or sends an account in clear. Returns null
 * for an empty or non-string account. Accounts are cut to 1024 characters before hashing.
 *
 * @example
 * const hash = createAccountHasher('site-secret');
 * hash('Alice@Example.com '); // 32 hex chars, the same as hash('alice@example.com')
 */
export function createAccountHasher(key: string): (account: unknown) => string | null {
  if (typeof key !== 'string' || key.length < 16) {
    throw new TypeError('options.logins.accountKey must be a string of at least 16 characters');
  }
  // Lower-casing may lengthen a text (U+0130 gives two code units): room for that in the reused buffer.
  const mac = createHmacSha256(key, MAX_ACCOUNT_LENGTH * 2);
  return function hashAccount(account) {
    if (typeof account !== 'string') return null;
    const text = account.slice(0, MAX_ACCOUNT_LENGTH).trim().toLowerCase();
    if (text === '') return null;
    return mac(text, 32);
  };
}
