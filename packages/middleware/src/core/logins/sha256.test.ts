import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compress, pad, SHA256_IV, writeUtf8 } from './sha256.js';

describe('writeUtf8', () => {
  it.each([
    ['ASCII', 'alice@example.com'],
    ['two- and three-byte characters', 'jörg€'],
    ['a surrogate pair', '\u{1F600}'],
    ['a lone high surrogate at the end', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
    ['a low surrogate before a high one', '\udc00\ud800'],
    ['control bytes and NUL', '\u0000\u001f\u007f'],
  ])('writes %s as TextEncoder does', (_name, text) => {
    const bytes = new Uint8Array(3 * text.length);
    const length = writeUtf8(text, bytes);
    expect([...bytes.subarray(0, length)]).toEqual([...new TextEncoder().encode(text)]);
  });
});

describe('compress and pad', () => {
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 1000])('give SHA-256 of %i bytes', (size) => {
    const message = Uint8Array.from({ length: size }, (_, i) => (i * 37 + 11) & 255);
    const buffer = new Uint8Array(size + 72);
    buffer.set(message);
    const state = SHA256_IV.slice();
    compress(state, buffer, pad(buffer, size, 0));
    const hex = [...state].map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
    expect(hex).toBe(createHash('sha256').update(message).digest('hex'));
  });
});
