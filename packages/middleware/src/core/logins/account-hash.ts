import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { RecentCache } from '../recent-cache.js';

const encoder = new TextEncoder();
const MAX_ACCOUNT_LENGTH = 1024;
/** Accounts remembered with their hash (the most recent), and the longest one remembered. */
const CACHED_ACCOUNTS = 1024;
const MAX_CACHED_LENGTH = 128;
/** Two lower-case hex digits per byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The part of @noble/hashes' HMAC used to copy a keyed state into an existing one, not a new one. */
interface ReusableHmac {
  _cloneInto(to: unknown): unknown;
}

/**
 * Hashes login accounts with the site's key: the first 32 lower-case hex characters of
 * HMAC-SHA256(key, account.trim().toLowerCase()). Runtime-neutral and synchronous (`@noble/hashes`;
 * Web Crypto's HMAC is async only), so the engine never holds or sends an account in clear. The
 * key's inner and outer states are computed once and copied per account into one working HMAC,
 * over buffers reused from call to call (cloning a new HMAC per account cost ~5 µs, this ~1.4 µs).
 * Returns null for an empty or non-string account. Accounts are cut to 1024 characters before
 * hashing. The last 1,024 accounts of at most 128 characters are remembered with their hash, in
 * this process's memory only: a brute force, or a user who mistypes a password, tries one account
 * again and again, and a hash costs ~1.5 µs, a lookup ~30 ns.
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
  const working = keyed.clone();
  const mac = new Uint8Array(32);
  // Lower-casing can lengthen a text (U+0130 becomes two units): at most 3 bytes a unit.
  let input = new Uint8Array(3 * 2 * MAX_ACCOUNT_LENGTH);
  const recent = new RecentCache<string, string>(CACHED_ACCOUNTS);
  return function hashAccount(account) {
    if (typeof account !== 'string') return null;
    if (account.length > MAX_CACHED_LENGTH) return hashOf(account);
    let hash = recent.get(account);
    if (hash === undefined) {
      const computed = hashOf(account);
      if (computed === null) return null;
      recent.set(account, (hash = computed));
    }
    return hash;
  };

  function hashOf(account: string): string | null {
    const text = account.slice(0, MAX_ACCOUNT_LENGTH).trim().toLowerCase();
    if (text === '') return null;
    if (input.length < 3 * text.length) input = new Uint8Array(3 * text.length);
    (keyed as unknown as ReusableHmac)._cloneInto(working);
    const { written } = encoder.encodeInto(text, input);
    working.update(input.subarray(0, written)).digestInto(mac);
    let hex = '';
    for (let i = 0; i < 16; i++) hex += HEX[mac[i]!];
    return hex;
  }
}
