import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacSha256 } from './hmac-sha256.js';

const reference = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** A deterministic text of `length` code units mixing ASCII, controls, 2-, 3- and 4-byte UTF-8 and lone surrogates. */
function text(length: number, seed: number): string {
  const alphabet = ['a', 'Z', '0', '@', '\u0000', '\u001f', '\u007f', 'é', 'İ', '€', '\u{1F600}', '\ud800', '\udfff'];
  let out = '';
  let state = seed;
  while (out.length < length) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

describe('createHmacSha256', () => {
  it('gives the RFC 4231 test case 2 digest', () => {
    const mac = createHmacSha256('Jefe', 64);
    expect(mac('what do ya want for nothing?', 64)).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it.each([
    ['a 16-char key', 'k'.repeat(16)],
    ['a 64-byte key (one block)', 'k'.repeat(64)],
    ['a 65-byte key (hashed first)', 'k'.repeat(65)],
    ['a 300-byte multibyte key', '€'.repeat(100)],
  ])('matches node:crypto for texts of every length around the block edges, with %s', (_name, key) => {
    const mac = createHmacSha256(key, 200);
    for (let length = 0; length <= 140; length++) {
      const input = text(length, length + key.length);
      expect(mac(input, 64)).toBe(reference(key, input));
    }
  });

  it('texts longer than maxTextLength get their own buffer; hex is cut to the length asked', () => {
    const mac = createHmacSha256('a-site-key-of-16+chars', 8);
    const long = text(5_000, 3);
    expect(mac(long, 64)).toBe(reference('a-site-key-of-16+chars', long));
    expect(mac('short', 32)).toBe(reference('a-site-key-of-16+chars', 'short').slice(0, 32));
    expect(mac('short', 5)).toBe(reference('a-site-key-of-16+chars', 'short').slice(0, 5));
  });

  it('keeps no state between calls (a long text, then a short one)', () => {
    const mac = createHmacSha256('a-site-key-of-16+chars', 1024);
    mac('x'.repeat(1024), 64);
    expect(mac('bob', 64)).toBe(reference('a-site-key-of-16+chars', 'bob'));
  });
});
