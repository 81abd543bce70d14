import { describe, expect, it } from 'vitest';
import { parseCountryCode } from './country.js';

describe('parseCountryCode', () => {
  it.each([
    ['JP', 'JP'],
    ['jp', 'JP'],
    [' fr ', 'FR'],
    ['GB', 'GB'],
    ['UK', null],
    ['XX', null],
    ['ZZ', null],
    ['AA', null],
    ['QZ', null],
    ['JPN', null],
    ['J', null],
    ['1A', null],
  ])('%s → %s', (text, code) => {
    const result = parseCountryCode(text);
    expect(result.ok ? result.code : null).toBe(code);
  });

  it('names the canonical code for an alias', () => {
    expect(parseCountryCode('UK')).toEqual({ ok: false, message: '"UK" is an alias; use GB (United Kingdom)' });
  });
});
