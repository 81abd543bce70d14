import { describe, expect, it } from 'vitest';
import { requiredEnding, requiredStart } from './unindexed.js';

const code = (char: string) => char.charCodeAt(0);

describe('requiredStart', () => {
  it.each([
    ['^wget', code('w')],
    ['^Wget/', code('w')],
    ['^ad muncher', code('a')],
    ['^\\/x', code('/')],
    ['^-x', code('-')],
    ['^a+b', code('a')],
  ])('reads the first character of %s', (source, expected) => {
    expect(requiredStart(source)).toBe(expected);
  });

  it.each([
    ['^\\d+'],
    ['^\\w*search'],
    ['^[<(;]'],
    ['^(?:a|b)'],
    ['^a?b'],
    ['^a*'],
    ['^a{0,2}'],
    ['^é'],
    ['^.x'],
    ['^'],
  ])('reads nothing from %s', (source) => {
    expect(requiredStart(source)).toBe(-1);
  });
});

describe('requiredEnding', () => {
  it.each([
    [';\\s\\w+;$', code(';')],
    ['\\w+/\\d\\.\\d\\s\\([\\w@]+\\)$', code(')')],
    ['abC$', code('c')],
    ['\\$$', code('$')],
    ['a\\\\$', code('\\')],
  ])('reads the last character of %s', (source, expected) => {
    expect(requiredEnding(source)).toBe(expected);
  });

  it.each([['\\d$'], ['a\\$'], ['a|b;$'], ['[;]$'], [';+$'], ['(?:a|;)$'], ['a{2}$'], ['abc'], ['é$'], ['$']])(
    'reads nothing from %s',
    (source) => {
      expect(requiredEnding(source)).toBe(-1);
    },
  );
});
