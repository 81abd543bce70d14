import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileText } from '../escape/hostile-text.js';
import { MAX_REASON_LENGTH, reasonProblem, storableReason } from './reason.js';

describe('reasonProblem', () => {
  it.each([
    ['plain', 'scanner from the report', null],
    ['any script and emoji sequences', 'スキャナー 👩‍💻 «x»', null],
    ['NUL', 'a\u0000b', /U\+0000 at 1/],
    ['ESC', 'x\u001b[2J', /U\+001B/],
    ['tab', 'a\tb', /U\+0009/],
    ['C1 CSI', 'a\u009b', /U\+009B/],
    ['bidi override', 'a\u202Eb', /U\+202E/],
    ['line separator', 'a\u2028b', /U\+2028/],
    ['lone surrogate', 'a\uDC00', /U\+DC00/],
    ['too long', 'x'.repeat(MAX_REASON_LENGTH + 1), /longer than 500/],
  ])('%s', (_name, reason, expected) => {
    const problem = reasonProblem(reason);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('storableReason', () => {
  it('makes any text from traffic storable, keeping what is printable', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(), fc.string({ unit: 'binary', minLength: 400, maxLength: 900 })), (text) => {
        expect(reasonProblem(storableReason(text))).toBeNull();
      }),
    );
    expect(storableReason('probed /.env\u001b[2J')).toBe('probed /.env\\x1B[2J');
    const cut = storableReason('😀'.repeat(300));
    expect(cut.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(cut).toBe(`${'😀'.repeat(249)}…`);
  });
});
