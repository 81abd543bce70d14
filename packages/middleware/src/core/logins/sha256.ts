/**
 * SHA-256 compression over a reused buffer, for a keyed HMAC that runs per login attempt: no
 * object, typed array or DataView allocated per message (a general-purpose hash cost ~5 µs per
 * account, mostly in allocations). Runtime-neutral and synchronous, like the account hasher needs.
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

/** The initial state of SHA-256. */
export const SHA256_IV: Readonly<Int32Array> = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

/**
 * Runs the compression function on the 64-byte blocks of `bytes[0..length)` (a multiple of 64),
 * updating `state` (8 words) in place.
 *
 * @example
 * const state = SHA256_IV.slice();
 * compress(state, padded, 64); // state now holds SHA-256 of a message that fits one block
 */
export function compress(state: Int32Array, bytes: Uint8Array, length: number): void {
  let h0 = state[0]!;
  let h1 = state[1]!;
  let h2 = state[2]!;
  let h3 = state[3]!;
  let h4 = state[4]!;
  let h5 = state[5]!;
  let h6 = state[6]!;
  let h7 = state[7]!;
  for (let offset = 0; offset < length; offset += 64) {
    for (let i = 0; i < 16; i++) {
      const at = offset + i * 4;
      W[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15]!;
      const w2 = W[i - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  state[5] = h5;
  state[6] = h6;
  state[7] = h7;
}

/**
 * Appends SHA-256 padding to a message held in `bytes[0..length)` that follows `before` bytes
 * already compressed; returns the padded length (a multiple of 64). `bytes` must have room for
 * up to 72 more bytes.
 */
export function pad(bytes: Uint8Array, length: number, before: number): number {
  const bits = (before + length) * 8;
  let end = length;
  bytes[end++] = 0x80;
  while (end % 64 !== 56) bytes[end++] = 0;
  // Lengths here stay far below 2^32 bits: the upper word is zero.
  bytes[end++] = 0;
  bytes[end++] = 0;
  bytes[end++] = 0;
  bytes[end++] = 0;
  bytes[end++] = bits >>> 24;
  bytes[end++] = (bits >>> 16) & 255;
  bytes[end++] = (bits >>> 8) & 255;
  bytes[end++] = bits & 255;
  return end;
}

/**
 * Writes `text` as UTF-8 into `bytes` from 0 (a lone surrogate as U+FFFD, like TextEncoder);
 * returns the byte length. `bytes` must hold 3 bytes per UTF-16 unit.
 */
export function writeUtf8(text: string, bytes: Uint8Array): number {
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[end++] = code;
      continue;
    }
    if (code < 0x800) {
      bytes[end++] = 0xc0 | (code >>> 6);
      bytes[end++] = 0x80 | (code & 63);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        bytes[end++] = 0xf0 | (code >>> 18);
        bytes[end++] = 0x80 | ((code >>> 12) & 63);
        bytes[end++] = 0x80 | ((code >>> 6) & 63);
        bytes[end++] = 0x80 | (code & 63);
        continue;
      }
      code = 0xfffd;
    }
    bytes[end++] = 0xe0 | (code >>> 12);
    bytes[end++] = 0x80 | ((code >>> 6) & 63);
    bytes[end++] = 0x80 | (code & 63);
  }
  return end;
}
