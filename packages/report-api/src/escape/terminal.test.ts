import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileText } from './hostile-text.js';
import { forTerminal } from './terminal.js';

describe('forTerminal', () => {
  it.each([
    ['ESC colour', 'x\u001b[31mred', 'x\\u001b[31mred'],
    ['OSC 8 hyperlink', '\u001b]8;;https://evil.example\u0007click', '\\u001b]8;;https://evil.example\\u0007click'],
    ['C1 CSI', 'a\u009b2J', 'a\\u009b2J'],
    ['bidi override', 'a\u202Eb', 'a\\u202eb'],
    ['carriage return (overwrites the line)', 'ok\rFAKE', 'ok\\u000dFAKE'],
    ['astral tag character', 'a\u{E0041}b', 'a\\udb40\\udc41b'],
    ['newline and tab kept', 'a\n\tb', 'a\n\tb'],
    ['unicode text kept', 'Zürich 東京 😀', 'Zürich 東京 😀'],
  ])('%s', (_name, input, expected) => {
    expect(forTerminal(input)).toBe(expected);
  });

  it('keeps JSON valid and equal for any value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostileText(), (value, text) => {
        const json = forTerminal(JSON.stringify({ value, text }, null, 2));
        expect(json).not.toMatch(/(?![\n\t])[\p{Cc}\p{Cf}\u2028\u2029]/u);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
    );
  });
});
