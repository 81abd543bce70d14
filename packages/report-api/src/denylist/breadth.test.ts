import { describe, expect, it } from 'vitest';
import { broadPrefixProblem } from './breadth.js';

describe('broadPrefixProblem', () => {
  it.each([
    ['0.0.0.0/0', /all of IPv4/],
    ['10.0.0.0/7', /1\/128 of IPv4 \(shorter than \/8\)/],
    ['10.0.0.0/8', null],
    ['198.51.100.7', null],
    ['::/0', /all of IPv6/],
    ['2000::/15', /shorter than \/16/],
    ['2001:db8::/16', null],
    ['::ffff:0.0.0.0/96', /all of IPv4/],
    ['0:0:0:0:0:ffff:0a00:0/100', /1\/16 of IPv4/],
    ['::ffff:10.0.0.0/104', null],
  ])('%s → %s', (value, expected) => {
    const problem = broadPrefixProblem(value);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
