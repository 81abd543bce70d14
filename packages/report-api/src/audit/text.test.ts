import { describe, expect, it } from 'vitest';
import { labelProblem, siteNameProblem } from './text.js';

describe('labels and site names', () => {
  it.each(['alice', 'edge-tokyo 2026', '__proto__', 'constructor', '<b>x</b>', '👩‍💻 ops'])('take %j', (text) => {
    expect(labelProblem(text)).toBeNull();
    expect(siteNameProblem(text)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['ESC', 'a\u001b[2J'],
    ['newline', 'a\nb'],
    ['C1 CSI', 'a\u009bb'],
    ['bidi override', 'a\u202Eb'],
    ['lone surrogate', 'a\uDC00'],
  ])('refuse %s', (_name, text) => {
    expect(labelProblem(text)).toMatch(/^label /);
    expect(siteNameProblem(text)).toMatch(/^name /);
  });

  it('bound the length: 64 for a label, 100 for a name', () => {
    expect(labelProblem('x'.repeat(64))).toBeNull();
    expect(labelProblem('x'.repeat(65))).toMatch(/longer than 64/);
    expect(siteNameProblem('x'.repeat(100))).toBeNull();
    expect(siteNameProblem('x'.repeat(101))).toMatch(/longer than 100/);
  });
});
