import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './literals.js';

describe('requiredLiterals', () => {
  it.each([
    ['plain text, lower-cased', 'Googlebot', ['googlebot']],
    ['escaped punctuation is text', 'Googlebot\\/', ['googlebot/']],
    ['one text per branch', 'bingbot|msnbot', ['bingbot', 'msnbot']],
    ['a group ends the run', 'ahrefs(?:bot|siteaudit)', ['ahrefs']],
    ['an optional character is left out', 'bots?x', ['bot']],
    ['a starred character is left out', 'abcd*', ['abc']],
    ['a repeated character ends the run', 'abc+def', ['abc']],
    ['a {0,} quantifier is optional', 'abcd{0,2}ef', ['abc']],
    ['a {n,m} quantifier is not text', 'x{2,3}abcd', ['abcd']],
    ['classes are not text', '[wW]get', ['get']],
    ['anchors are not text', '^java/', ['java/']],
    ['lookbehind is skipped', '(?<! cu)bots?(?:\\b|_)', ['bot']],
    ['\\w and \\d end a run', 'yandex\\w*bot', ['yandex']],
    ['\\x escapes are not text', 'ab\\x41cdef', ['cdef']],
    ['\\u escapes are not text', 'ab\\u0041cdef', ['cdef']],
    ['the longest run of a branch', 'a.bb.ccc.dddd', ['dddd']],
  ])('%s: %s', (_name, source, expected) => {
    expect(requiredLiterals(source)).toEqual(expected);
  });

  it.each([
    ['no text at all', '^\\w+/\\d'],
    ['a branch too short', 'googlebot|ab'],
    ['unbalanced groups', 'abc(def'],
    ['an unclosed class', 'abc[def'],
    ['a group only', '(?:googlebot)'],
  ])('gives null for %s', (_name, source) => {
    expect(requiredLiterals(source)).toBeNull();
  });

  it('is sound: every text it gives is in every user agent its pattern matches', () => {
    const cases: Array<[string, string[]]> = [
      ['ahrefs(?:bot|siteaudit)', ['AhrefsBot/7.0', 'AhrefsSiteAudit/6.1']],
      ['Googlebot\\/|adsbot-google', ['Googlebot/2.1', 'AdsBot-Google']],
      ['sogou \\w* ?spider', ['Sogou web spider/4.0', 'Sogou  spider']],
    ];
    for (const [source, uas] of cases) {
      const literals = requiredLiterals(source) as string[];
      for (const ua of uas) {
        expect(new RegExp(source, 'i').test(ua)).toBe(true);
        expect(literals.some((literal) => ua.toLowerCase().includes(literal))).toBe(true);
      }
    }
  });
});
