import { describe, expect, it } from 'vitest';
import { createBotIndex } from './bot-index.js';

const find = (patterns: string[], ua: string) =>
  createBotIndex(patterns.map((pattern) => ({ pattern })))(ua.toLowerCase(), ua);

describe('createBotIndex', () => {
  it.each([
    ['the lowest row wins wherever it is found', ['zeta', 'alpha'], 'alpha zeta', { row: 0, text: 'zeta' }],
    ['a plain text keeps the case of the user agent', ['googlebot'], 'x GoogleBot/2', { row: 0, text: 'GoogleBot' }],
    [
      'a pattern is checked where its text occurs',
      ['yandex\\w*bot'],
      'YandexImagesBot',
      { row: 0, text: 'YandexImagesBot' },
    ],
    ['text without the pattern is no match', ['yandex\\w*bot', 'images'], 'Yandex-Images', { row: 1, text: 'Images' }],
    ['rows without text are tried too', ['^\\w+/\\d$', 'zzz'], 'Tool/1', { row: 0, text: 'Tool/1' }],
    ['an unindexed row loses to a lower indexed one', ['zzz', '^\\w+'], 'zzz', { row: 0, text: 'zzz' }],
    ['text at the very end', ['bot'], 'abot', { row: 0, text: 'bot' }],
  ])('%s', (_name, patterns, ua, expected) => {
    expect(find(patterns, ua)).toEqual(expected);
  });

  it.each([
    ['nothing matches', ['googlebot'], 'Mozilla/5.0 Chrome/126'],
    ['shorter than three characters', ['bot'], 'bo'],
    ['empty', ['bot'], ''],
    ['control bytes', ['bot'], '\u0000\u0001\u0002b\u0000ot'],
  ])('finds nothing when %s', (_name, patterns, ua) => {
    expect(find(patterns, ua)).toBeNull();
  });

  it('handles text that lower-casing lengthens (İ) without cutting at the wrong place', () => {
    const hit = find(['googlebot'], 'İİİ Googlebot');
    expect(hit?.row).toBe(0);
    expect(hit?.text.toLowerCase()).toBe('googlebot');
  });
});
