import { describe, expect, it } from 'vitest';
import { normalizeCountry } from './country.js';

describe('normalizeCountry', () => {
  it.each([
    ['JP', 'JP'],
    ['jp', 'JP'],
    [' de ', 'DE'],
    ['XX', null],
    ['xx', null],
    ['ZZ', null],
    ['T1', null],
    ['', null],
    ['USA', null],
    ['J', null],
    ['1A', null],
    ['日本', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (input, output) => {
    expect(normalizeCountry(input)).toBe(output);
  });
});
