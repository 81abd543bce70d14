import { describe, expect, it } from 'vitest';
import { clampNumber, sanitizeMethod, sanitizeText } from './sanitize.js';

const R = '\uFFFD';

describe('sanitizeText', () => {
  it.each([
    ['plain ASCII, unchanged', 'Mozilla/5.0', 512, 'Mozilla/5.0'],
    ['non-ASCII letters, unchanged', 'naïve-日本', 512, 'naïve-日本'],
    ['C1 NEL (0x85, as Node passes it through in a header)', 'curl\x85/8', 512, `curl${R}/8`],
    ['NUL', 'a\x00b', 512, `a${R}b`],
    ['ESC sequence', '\x1b[31mred', 512, `${R}[31mred`],
    ['tab and newline are C0 too', 'a\tb\nc', 512, `a${R}b${R}c`],
    ['DEL', 'a\x7f', 512, `a${R}`],
    ['last C1 (0x9f)', '\x9f', 512, R],
    ['first character after C1 kept (0xa0)', '\xa0', 512, '\xa0'],
    ['lone high surrogate', 'a\ud83d', 512, `a${R}`],
    ['lone low surrogate', '\ude00b', 512, `${R}b`],
    ['reversed pair is two lone surrogates', '\ude00\ud83d', 512, `${R}${R}`],
    ['valid pair kept', 'a😀b', 512, 'a😀b'],
    ['cut plain text', 'abcdef', 3, 'abc'],
    ['cut never splits a pair', 'ab😀', 3, 'ab'],
    ['pair that fits exactly', 'ab😀', 4, 'ab😀'],
    ['cut after replacement', '\x00\x00\x00\x00', 2, `${R}${R}`],
    ['empty', '', 10, ''],
  ])('%s', (_name, input, max, expected) => {
    expect(sanitizeText(input, max)).toBe(expected);
  });

  it('returns the very same string in the common case (no copy on the hot path)', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0';
    expect(Object.is(sanitizeText(ua, 512), ua)).toBe(true);
  });
});

describe('sanitizeMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['PROPFIND', 'PROPFIND'],
    ['get (case kept)', 'get'],
    ['', 'INVALID'],
    ['G T', 'INVALID'],
    ['G\x85T', 'INVALID'],
    ['<script>', 'INVALID'],
    ['A'.repeat(17), 'INVALID'],
    ['A'.repeat(16), 'A'.repeat(16)],
  ])('%j becomes %j', (input, expected) => {
    expect(sanitizeMethod(input.replace(/ \(case kept\)$/, ''))).toBe(expected);
  });
});

describe('clampNumber', () => {
  it.each([
    [5, 0, 10, 0, 5],
    [-1, 0, 10, 0, 0],
    [11, 0, 10, 0, 10],
    [Number.NaN, 0, 10, 7, 7],
    [Infinity, 0, 10, 7, 7],
    [-Infinity, 0, 10, 7, 7],
  ])('clampNumber(%d, %d, %d, fallback %d) is %d', (value, min, max, fallback, expected) => {
    expect(clampNumber(value, min, max, fallback)).toBe(expected);
  });
});
