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

  it('replaces exactly the controls and lone surrogates: all 65,536 code units, first and last', () => {
    const wrong: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const bad = code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff);
      const kept = bad ? R : char;
      const text = `${'a'.repeat(100)}${char}`;
      if (sanitizeText(`${char}x`, 10) !== `${kept}x` || sanitizeText(text, 512) !== `${'a'.repeat(100)}${kept}`)
        wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });

  it('reads no further than the cut: what lies past it changes nothing, a pair at the cut stays whole or goes', () => {
    const tail = `\x00${'x'.repeat(16_000)}\ud83d`;
    expect(sanitizeText(`${'a'.repeat(512)}${tail}`, 512)).toBe('a'.repeat(512));
    expect(sanitizeText(`${'a'.repeat(511)}😀${tail}`, 512)).toBe('a'.repeat(511));
    expect(sanitizeText(`${'a'.repeat(510)}😀${tail}`, 512)).toBe(`${'a'.repeat(510)}😀`);
    expect(sanitizeText(`${'a'.repeat(511)}\x00${tail}`, 512)).toBe(`${'a'.repeat(511)}${R}`);
    expect(sanitizeText(`${'a'.repeat(512)}\udc00${tail}`, 512)).toBe('a'.repeat(512));
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
