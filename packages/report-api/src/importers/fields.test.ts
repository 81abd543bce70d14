import { MAX_UA_LENGTH } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import {
  cleanPath,
  cleanUa,
  parseClfTime,
  parseIsoUtc,
  splitLogFields,
  splitTarget,
  storableText,
  unescapeLogField,
} from './fields.js';

describe('log field helpers', () => {
  it.each([
    ['a "b c" d', ['a', 'b c', 'd']],
    ['"" x', ['', 'x']],
    ['"a \\"q\\" b" "-"', ['a "q" b', '-']],
    ['one  two', ['one', 'two']],
    ['"open quote', null],
    ['ends with escape "a\\', null],
  ])('splitLogFields(%j)', (line, want) => {
    expect(splitLogFields(line)).toEqual(want);
  });

  it.each([
    ['no escapes', 'no escapes'],
    ['a\\"b\\\\c', 'a"b\\c'],
    ['a\\x22b', 'a"b'],
    // control and non-ASCII bytes keep their escape text: storable, and no mojibake
    ['\\x16\\x03', '\\x16\\x03'],
    ['caf\\xC3\\xA9', 'caf\\xC3\\xA9'],
  ])('unescapeLogField(%j)', (raw, want) => {
    expect(unescapeLogField(raw)).toBe(want);
  });

  it.each([
    ['2026-03-09T14:02:11.482913Z', Date.parse('2026-03-09T14:02:11.482Z')],
    ['2026-03-09T14:02:11Z', Date.parse('2026-03-09T14:02:11Z')],
    ['2026-03-09T14:02:11.5Z', Date.parse('2026-03-09T14:02:11.500Z')],
    ['2026-03-09T14:02:11+09:00', Date.parse('2026-03-09T05:02:11Z')],
    ['2026-13-09T14:02:11Z', Number.NaN],
    ['2026-03-09T14:02:11,5Z', Number.NaN],
    ['-', Number.NaN],
  ])('parseIsoUtc(%j)', (text, want) => {
    expect(parseIsoUtc(text)).toBe(want);
  });

  it.each([
    ['09/Mar/2026:14:02:11 +0000', Date.parse('2026-03-09T14:02:11Z')],
    ['09/Mar/2026:14:02:11 +0530', Date.parse('2026-03-09T08:32:11Z')],
    ['31/Dec/2025:23:59:59 -1000', Date.parse('2026-01-01T09:59:59Z')],
    ['09/mar/2026:14:02:11 +0000', Number.NaN],
    ['09/Mar/2026:24:02:11 +0000', Number.NaN],
    ['09/Mar/2026:14:02:11 0000', Number.NaN],
    ['09/Mar/2026:14:02:11', Number.NaN],
  ])('parseClfTime(%j)', (text, want) => {
    expect(parseClfTime(text)).toBe(want);
  });

  it('storableText percent-encodes control characters and repairs lone surrogates', () => {
    expect(storableText('/a\u0007b\u007f')).toBe('/a%07b%7F');
    expect(storableText('x\uD800y')).toBe('x\uFFFDy');
    expect(storableText('ok 😀')).toBe('ok 😀');
  });

  it('cleanPath strips query and fragment; cleanUa never ends in half an emoji', () => {
    expect(cleanPath('/a/b?x=1#top')).toBe('/a/b');
    expect(cleanPath('/a#top')).toBe('/a');
    const ua = `${'x'.repeat(MAX_UA_LENGTH - 1)}😀tail`;
    expect(cleanUa(ua)).toBe('x'.repeat(MAX_UA_LENGTH - 1));
    expect(cleanUa('-')).toBe('');
  });

  it.each([
    ['absolute with port', 'https://Shop.Example:443/cart?x=1', { host: 'shop.example', path: '/cart?x=1' }],
    ['absolute, no path', 'http://shop.example', { host: 'shop.example', path: '/' }],
    ['IPv6 authority', 'http://[2001:db8::1]:8080/a', { host: '[2001:db8::1]', path: '/a' }],
    ['origin form', '/a?next=http://x/', { host: null, path: '/a?next=http://x/' }],
    ['no scheme', '*', { host: null, path: '*' }],
  ])('splitTarget: %s', (_name, target, expected) => {
    expect(splitTarget(target)).toEqual(expected);
  });
});
