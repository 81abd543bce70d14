import { describe, expect, it } from 'vitest';
import { escapeRegExp } from './regexp.js';

describe('escapeRegExp', () => {
  it.each([
    ['dots are literal', 'a.b', 'a.b', 'axb'],
    ['a PHP path', '/wp-config.php', '/wp-config.php', '/wp-configXphp'],
    ['brackets and braces', '[x]{2}', '[x]{2}', 'xx'],
    ['alternation and groups', '(a|b)', '(a|b)', 'a'],
    ['anchors and quantifiers', '^a+$?*', '^a+$?*', 'aa'],
    ['a backslash', 'a\\b', 'a\\b', 'a\\\\b'],
  ])('%s', (_name, text, matches, missed) => {
    const pattern = new RegExp(`^${escapeRegExp(text)}$`);
    expect(pattern.test(matches)).toBe(true);
    expect(pattern.test(missed)).toBe(false);
  });
});
