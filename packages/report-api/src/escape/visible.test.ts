import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileText } from './hostile-text.js';
import { visibleText } from './visible.js';

describe('visibleText', () => {
  it.each([
    ['plain text unchanged', '/login?next=/a b', '/login?next=/a b'],
    ['ESC (terminal colours)', 'x\u001b[31mred', 'x\\x1B[31mred'],
    ['C1 CSI', 'a\u009b2Jb', 'a\\x9B2Jb'],
    ['newline and tab', 'a\nb\tc\r', 'a\\x0Ab\\x09c\\x0D'],
    ['NUL and DEL', '\u0000\u007f', '\\x00\\x7F'],
    ['bidi override (Trojan Source)', 'admin\u202Etxt.exe', 'admin\\u202Etxt.exe'],
    ['zero-width space', 'ev\u200Bil', 'ev\\u200Bil'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['astral tag character', 'a\u{E0041}b', 'a\\u{E0041}b'],
    ['lone high surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['lone low surrogate', 'a\uDC00', 'a\uFFFD'],
    ['pair kept', 'ok 😀', 'ok 😀'],
  ])('%s', (_name, input, expected) => {
    expect(visibleText(input)).toBe(expected);
  });

  it('cuts on code points, never inside a surrogate pair', () => {
    expect(visibleText('😀😀😀', { maxLength: 2 })).toBe('😀😀…');
    expect(visibleText('abc', { maxLength: 3 })).toBe('abc');
  });

  it('names a bad maxLength', () => {
    expect(() => visibleText('a', { maxLength: 0 })).toThrow(/maxLength/);
  });

  it('leaves no control, format or separator character and no lone surrogate, for any string', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const shown = visibleText(text);
        expect(shown).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
        expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });
});
