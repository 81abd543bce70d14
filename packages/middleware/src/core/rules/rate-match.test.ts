import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../engine-options.js';
import { compileRateMatch, compileRateMatcher, pathIn, type RateMatch } from './rate-match.js';

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
