import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../engine-options.js';
import {
  compileRateMatch,
  compileRateMatcher,
  literalStart,
  mayStartWith,
  methodInList,
  pathIn,
  type RateMatch,
} from './rate-match.js';

const req = (method: unknown, path: unknown): RequestFacts =>
  ({ ip: '203.0.113.7', method, path, host: 'h', ua: '', country: null }) as RequestFacts;

describe('compileRateMatch', () => {
  it.each<[string, RateMatch | undefined, unknown, unknown, string | null, boolean]>([
    ['no match: everything', undefined, 'GET', '/x', null, true],
    ['a method in any case', { methods: ['post'] }, 'PoSt', '/', null, true],
    ['another method', { methods: ['POST'] }, 'GET', '/', null, false],
    ['a method that is not a string', { methods: ['POST'] }, undefined, '/', null, false],
    ['a prefix, with a query string', { paths: ['/login'] }, 'GET', '/login?next=/', null, true],
    ['a prefix that only the query string holds', { paths: ['/login'] }, 'GET', '/a?/login', null, false],
    ['a prefix holding ? never matches', { paths: ['/search?q'] }, 'GET', '/search?q=1', null, false],
    ['a RegExp sees the path without its query', { paths: [/^\/v\d+$/] }, 'GET', '/v2?x', null, true],
    ['a RegExp against the query string', { paths: [/q=/] }, 'GET', '/search?q=1', null, false],
    ['a path that is not a string', { paths: ['/'] }, 'GET', 42, null, false],
    ['browser is no bot category', { botCategories: ['browser'] }, 'GET', '/', null, true],
    ['a crawler rule and a browser', { botCategories: ['crawler'] }, 'GET', '/', null, false],
    ['a crawler rule and a crawler', { botCategories: ['crawler'] }, 'GET', '/', 'crawler', true],
    ['prototype keys as paths', { paths: ['/__proto__'] }, 'GET', '/__proto__/x', null, true],
  ])('%s', (_name, match, method, path, category, expected) => {
    const matches = compileRateMatch(match, 'match');
    expect(matches(req(method, path), category as never)).toBe(expected);
  });

  it('compiles to data: upper-case methods, prefixes without ?, RegExps without g or y', () => {
    const compiled = compileRateMatcher({ methods: ['get'], paths: ['/a', '/b?c', /x/gy] }, 'match');
    expect([...compiled.methods!]).toEqual(['GET']);
    expect(compiled.prefixes).toEqual(['/a']);
    expect(compiled.patterns[0]!.flags).toBe('');
    expect(compiled.anyPath).toBe(false);
    expect(pathIn(compiled, '/b?c')).toBe(false);
  });
});

describe('literalStart', () => {
  it.each<[string, RegExp, string]>([
    ['plain text after ^', /^\/api\/v1/, '/api/v1'],
    ['up to a class escape', /^\/v\d+\//, '/v'],
    ['a character a ? follows is optional', /^\/ab?c/, '/a'],
    ['a character a * follows is optional', /^\/ab*/, '/a'],
    ['a character a {n,m} follows is optional', /^\/ab{0,2}/, '/a'],
    ['a character a + follows is needed once', /^\/ab+c/, '/ab'],
    ['an escaped character a ? follows', /^\/a\.?b/, '/a'],
    ['up to a group', /^\/(a|b)/, ''],
    ['up to a class', /^\/[ab]/, '/'],
    ['up to a dot', /^\/a.b/, '/a'],
    ['no anchor', /\/api/, ''],
    ['an alternation', /^\/a|\/b/, ''],
    ['case-insensitive', /^\/api/i, ''],
    ['multi-line', /^\/api/m, ''],
    ['a unicode escape', /^\/\u0041/, '/'],
    ['a lookahead', /^(?=\/a)/, ''],
  ])('%s', (_name, pattern, expected) => {
    expect(literalStart(pattern)).toBe(expected);
  });

  it.each<[RegExp, string]>([
    [/^\/v\d+\//, '/v2/items'],
    [/^\/ab?c/, '/ac'],
    [/^\/ab+c/, '/abbbc'],
    [/^\/a\.?b/, '/ab'],
    [/^\/x$/, '/x?y=1'],
  ])('never hides a match: %s on %s', (pattern, path) => {
    const compiled = compileRateMatcher({ paths: [pattern] }, 'match');
    expect(pathIn(compiled, path)).toBe(true);
    expect(compileRateMatch({ paths: [pattern] }, 'match')(req('GET', path), null)).toBe(true);
  });

  it('skips a path that cannot match without running the RegExp', () => {
    const pattern = /^\/v\d+\//;
    let runs = 0;
    const test = pattern.test.bind(pattern);
    const compiled = compileRateMatcher({ paths: [pattern] }, 'match');
    (compiled.patterns[0] as RegExp).test = (text: string) => (runs++, test(text));
    expect(pathIn(compiled, '/products/1?ref=/v2/')).toBe(false);
    expect(runs).toBe(0);
    expect(pathIn(compiled, '/v2/x')).toBe(true);
    expect(runs).toBe(1);
  });
});

describe('seconds: the second characters a matching path may have', () => {
  it.each<[string, RateMatch, string | null]>([
    ['prefixes and a pattern', { paths: ['/api/', '/Login', /^\/v\d+/] }, 'L a v'],
    ['a prefix of one character leaves it open', { paths: ['/api/', '/'] }, null],
    ['a pattern with no known start leaves it open', { paths: ['/api/', /\/v2/] }, null],
    ['a pattern starting with a class leaves it open', { paths: [/^\/[ab]/] }, null],
    ['a character past 127 leaves it open', { paths: ['/\u00e9t\u00e9'] }, null],
    ['no paths: none needed', { methods: ['POST'] }, null],
  ])('%s', (_name, match, expected) => {
    const { seconds } = compileRateMatcher(match, 'match');
    const allowed = seconds === null ? null : [...Array(128).keys()].filter((code) => mayStartWith(seconds, code));
    expect(
      allowed === null
        ? null
        : String.fromCharCode(...allowed)
            .split('')
            .join(' '),
    ).toBe(expected);
  });

  it('a path without a second character, or with one past 127, never passes the map', () => {
    const { seconds } = compileRateMatcher({ paths: ['/a'] }, 'match');
    expect([-1, 128, 0x1_0000, 'a'.charCodeAt(0) + 128].map((code) => mayStartWith(seconds!, code))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('never hides a match: 4 000 generated paths against prefixes and patterns', () => {
    const matches: RateMatch[] = [
      { paths: ['/api/', '/v1/', /^\/admin\d*\//] },
      { paths: ['/a', '/b', '/?x'] },
      { paths: [/^\/x\.?y/, '/z'] },
    ];
    const pieces = ['/', 'a', 'api', 'v1', 'admin2', 'x', 'y', '.', '?', 'z', 'b', '\u00e9', '%2f', ''];
    let matched = 0;
    for (let i = 0; i < 4_000; i++) {
      let path = '/';
      for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / pieces.length)) path += pieces[n % pieces.length];
      for (const match of matches) {
        const compiled = compileRateMatcher(match, 'match');
        const second = path.length > 1 ? path.charCodeAt(1) : -1;
        if (!pathIn(compiled, path)) continue;
        matched++;
        expect(compiled.seconds === null || mayStartWith(compiled.seconds, second), path).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(1_000);
  });
});

describe('methodInList', () => {
  it.each<[string, unknown, boolean]>([
    ['the same method', 'POST', true],
    ['another upper-case method', 'GET', false],
    ['lower case', 'post', true],
    ['mixed case', 'pOsT', true],
    ['another lower-case method', 'get', false],
    ['not a string', 42, false],
    ['empty', '', false],
    ['the dotless ı of Turkish upper-cases to I', 'delıte', false],
  ])('%s', (_name, method, expected) => {
    expect(methodInList(['POST', 'PUT'], method)).toBe(expected);
  });
});
