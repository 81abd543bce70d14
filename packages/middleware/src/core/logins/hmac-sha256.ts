/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) in plain JavaScript, synchronous and runtime-neutral, made for
 * hashing short texts per request: the key's inner and outer states are computed once, so a
 * message of up to 55 bytes costs two compressions instead of four, and no buffer is allocated per
 * call (the message is UTF-8 encoded into a reused one). Checked against `node:crypto` in the tests.
 */

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
/** Two lower-case hex digits per byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Mixes one 64-byte block of `bytes` at `offset` into `state`; `w` is scratch space of 64 words. */
function compress(state: Int32Array, bytes: Uint8Array, offset: number, w: Int32Array): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    w[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const choice = (e & f) ^ (~e & g);
    const t1 = (h + sum1 + choice + K[t]! + w[t]!) | 0;
    const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const majority = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + sum0 + majority) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * Finishes a hash: `bytes[0, length)` is the rest of the message after `before` bytes already mixed
 * into `state`. `bytes` must have room for the padding (up to 72 bytes past `length`).
 */
function finish(state: Int32Array, bytes: Uint8Array, length: number, before: number, w: Int32Array): void {
  const blocks = Math.ceil((length + 9) / BLOCK);
  const end = blocks * BLOCK;
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, end - 4);
  const bits = (before + length) * 8; // < 2^32: messages are a few kB at most
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = (bits >>> 16) & 255;
  bytes[end - 2] = (bits >>> 8) & 255;
  bytes[end - 1] = bits & 255;
  for (let offset = 0; offset < end; offset += BLOCK) compress(state, bytes, offset, w);
}

/** Writes the 8 words of `state` into `bytes` from 0, big-endian. */
function writeWords(state: Int32Array, bytes: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    bytes[i * 4] = word >>> 24;
    bytes[i * 4 + 1] = (word >>> 16) & 255;
    bytes[i * 4 + 2] = (word >>> 8) & 255;
    bytes[i * 4 + 3] = word & 255;
  }
}

/**
 * Returns a function giving the first `hexLength` hex characters (up to 64) of HMAC-SHA256(key,
 * UTF-8 of text). Texts of up to `maxTextLength` UTF-16 code units are encoded into a reused
 * buffer; a longer one gets a buffer of its own.
 *
 * @example
 * const mac = createHmacSha256('site-secret', 1024);
 * mac('alice@example.com', 32); // the first 32 hex chars of the HMAC
 */
export function createHmacSha256(key: string, maxTextLength: number): (text: string, hexLength: number) => string {
  const w = new Int32Array(64);
  const encoder = new TextEncoder();
  let keyBytes = encoder.encode(key);
  if (keyBytes.length > BLOCK) {
    // A key longer than a block is hashed first (RFC 2104).
    const digest = IV.slice();
    const buffer = new Uint8Array(Math.ceil((keyBytes.length + 9) / BLOCK) * BLOCK);
    const whole = Math.floor(keyBytes.length / BLOCK) * BLOCK;
    for (let offset = 0; offset < whole; offset += BLOCK) compress(digest, keyBytes, offset, w);
    buffer.set(keyBytes.subarray(whole));
    finish(digest, buffer, keyBytes.length - whole, whole, w);
    keyBytes = new Uint8Array(32);
    writeWords(digest, keyBytes);
  }
  const pad = new Uint8Array(BLOCK);
  const inner = IV.slice();
  const outer = IV.slice();
  for (let i = 0; i < BLOCK; i++) pad[i] = (keyBytes[i] ?? 0) ^ 0x36;
  compress(inner, pad, 0, w);
  for (let i = 0; i < BLOCK; i++) pad[i] = (keyBytes[i] ?? 0) ^ 0x5c;
  compress(outer, pad, 0, w);

  // UTF-8 takes at most 3 bytes per UTF-16 code unit; then room for the padding (and the inner digest).
  const bufferFor = (length: number) => new Uint8Array(Math.max(2, Math.ceil((length * 3 + 9) / BLOCK)) * BLOCK);
  const reused = bufferFor(maxTextLength);
  const state = new Int32Array(8);
  return function hmacSha256(text, hexLength) {
    const message = text.length <= maxTextLength ? reused : bufferFor(text.length);
    // ASCII (most accounts) is copied byte by byte; other text goes through the encoder.
    let written = 0;
    while (written < text.length) {
      const code = text.charCodeAt(written);
      if (code >= 0x80) break;
      message[written++] = code;
    }
    if (written < text.length) written = encoder.encodeInto(text, message).written;
    state.set(inner);
    finish(state, message, written, BLOCK, w);
    writeWords(state, message);
    state.set(outer);
    finish(state, message, 32, BLOCK, w);
    let hex = '';
    for (let i = 0; i * 8 < hexLength; i++) {
      const word = state[i]!;
      hex += HEX[word >>> 24]! + HEX[(word >>> 16) & 255]! + HEX[(word >>> 8) & 255]! + HEX[word & 255]!;
    }
    return hex.length === hexLength ? hex : hex.slice(0, hexLength);
  };
}
