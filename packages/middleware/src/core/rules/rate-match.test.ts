import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../engine-options.js';
import {
  compileRateMatch,
  compileRateMatcher,
  literalStart,
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
