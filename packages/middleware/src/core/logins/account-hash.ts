import { compress, pad, SHA256_IV, writeUtf8 } from './sha256.js';

const encoder = new TextEncoder();
const MAX_ACCOUNT_LENGTH = 1024;
/** Two lower-case hex digits per byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** SHA-256 of `bytes`, as 8 words. */
function sha256Words(bytes: Uint8Array): Int32Array {
  const state = SHA256_IV.slice();
  const buffer = new Uint8Array(bytes.length + 72);
  buffer.set(bytes);
  compress(state, buffer, pad(buffer, bytes.length, 0));
  return state;
}

/** The state after one block of the key XORed with `fill` (HMAC's inner or outer pad). */
function keyedState(key: Uint8Array, fill: number): Int32Array {
  const block = new Uint8Array(64).fill(fill);
  for (let i = 0; i < key.length; i++) block[i] = key[i]! ^ fill;
  const state = SHA256_IV.slice();
  compress(state, block, 64);
  return state;
}

/**
 * Hashes login accounts with the site's key: the first 32 lower-case hex characters of
 * HMAC-SHA256(key, account.trim().toLowerCase()). Runtime-neutral and synchronous (Web Crypto's
 * HMAC is async only), so the engine never holds or sends an account in clear. The key's inner and
 * outer states are computed once; an account then costs its own blocks plus one, over buffers
 * reused from call to call (nothing is allocated but the result). Returns null for an empty or
 * non-string account. Accounts are cut to 1024 characters before hashing.
 *
 * @example
 * const hash = createAccountHasher('site-secret');
 * hash('Alice@Example.com '); // 32 hex chars, the same as hash('alice@example.com')
 */
export function createAccountHasher(key: string): (account: unknown) => string | null {
  if (typeof key !== 'string' || key.length < 16) {
    throw new TypeError('options.logins.accountKey must be a string of at least 16 characters');
  }
  let keyBytes = encoder.encode(key);
  if (keyBytes.length > 64) {
    const words = sha256Words(keyBytes);
    keyBytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) keyBytes[i] = (words[i >>> 2]! >>> (24 - 8 * (i & 3))) & 255;
  }
  const inner = keyedState(keyBytes, 0x36);
  const outer = keyedState(keyBytes, 0x5c);
  const state = new Int32Array(8);
  const block = new Uint8Array(64);
  // Lower-casing can lengthen a text (U+0130 becomes two units); a longer one gets a bigger buffer.
  let message = new Uint8Array(3 * 2 * MAX_ACCOUNT_LENGTH + 72);
  return function hashAccount(account) {
    if (typeof account !== 'string') return null;
    const text = account.slice(0, MAX_ACCOUNT_LENGTH).trim().toLowerCase();
    if (text === '') return null;
    if (message.length < 3 * text.length + 72) message = new Uint8Array(3 * text.length + 72);
    state.set(inner);
    compress(state, message, pad(message, writeUtf8(text, message), 64));
    for (let i = 0; i < 32; i++) block[i] = (state[i >>> 2]! >>> (24 - 8 * (i & 3))) & 255;
    state.set(outer);
    compress(state, block, pad(block, 32, 64));
    let hex = '';
    for (let i = 0; i < 4; i++) {
      const word = state[i]!;
      hex += HEX[word >>> 24]! + HEX[(word >>> 16) & 255]! + HEX[(word >>> 8) & 255]! + HEX[word & 255]!;
    }
    return hex;
  };
}
