import { describe, expect, it } from 'vitest';
import { knownUserAgents } from '../../../test/bots/known.js';
import { createBotIndex } from './bot-index.js';
import { builtInRows } from './classify.js';
import { hintRows } from './guess.js';

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
    expect(find(patterns, ua)).toEqual({ ...expected, second: null });
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

describe('createBotIndex, many short texts', () => {
  it('finds each of 8,788 three-character texts, each filed under ~100 slots', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const texts: string[] = [];
    for (const a of letters) for (const b of letters) for (const c of letters) texts.push(a + b + c);
    const rows = texts.filter((_text, index) => index % 2 === 0);
    const findShort = createBotIndex(rows.map((pattern) => ({ pattern })));
    // Followed by ASCII, by a character beyond it, and by nothing: the three ways the scan finds them.
    const missed = rows.filter(
      (text, row) => !['1', 'é', ''].every((after) => findShort(`1${text}${after}`, `1${text}${after}`)?.row === row),
    );
    expect(missed).toEqual([]);
  });
});

describe('createBotIndex, rows without a text', () => {
  it.each([
    ['an anchored row, any case', ['^wget'], 'WGET/1.21', { row: 0, text: 'WGET' }],
    ['an anchored row only at the start', ['^wget', 'zzz'], 'xwget zzz', { row: 1, text: 'zzz' }],
    ['the lower of two anchored rows', ['^wg', '^wget'], 'wget', { row: 0, text: 'wg' }],
    ['an anchored row that may start with anything', ['^wget', '^\\d+'], '123 wget', { row: 1, text: '123' }],
    ['a first character beyond ASCII', ['^wget', '^\\S+ x'], 'éa x', { row: 1, text: 'éa x' }],
    ['a row that must end with a character', [';\\s\\w+;$'], 'Tool; abc;', { row: 0, text: '; abc;' }],
    ['an ending in either case', ['\\w+C$'], 'xabc', { row: 0, text: 'xabc' }],
  ])('%s', (_name, patterns, ua, expected) => {
    expect(find(patterns, ua)).toEqual({ ...expected, second: null });
  });

  it.each([
    ['a named row without a text before a fallback that matches', ['zzz', '^\\w+/', '^w'], 'wget/1', 1],
    ['a fallback, when no row before it matches', ['zzz', '^\\w+/', '^w'], 'wzz', 2],
    ['a named row with a text later in the user agent', ['zzz', '^\\w+/', '^w'], 'wget/1 zzz', 0],
    ['a row put aside before a fallback that matches', ['z+z', '^w'], 'wget zzz', 0],
    ['a row put aside after a fallback that matches', ['^w', 'z+z'], 'wget zzz', 0],
  ])('with fallbacks from row 2 (or 1): %s', (_name, patterns, ua, row) => {
    const fallbackFrom = patterns.length === 2 ? 1 : 2;
    const found = createBotIndex(
      patterns.map((pattern) => ({ pattern })),
      fallbackFrom,
    )(ua.toLowerCase(), ua);
    expect(found?.row).toBe(row);
  });

  it.each([
    ['a row that must end with a character', [';\\s\\w+;$'], 'Tool; abc; '],
    ['an anchored row after the start', ['^wget'], ' wget'],
    ['an empty user agent', ['^\\d+x', ';$'], ''],
  ])('finds nothing for %s', (_name, patterns, ua) => {
    expect(find(patterns, ua)).toBeNull();
  });
});

describe('createBotIndex, second track', () => {
  // Row 0 a name, row 1 a fallback, rows 2 on the second track.
  const index = (second: string[]) =>
    createBotIndex(
      ['zzz', '(?<! cu)bot', ...second].map((pattern) => ({ pattern })),
      1,
      2,
    );
  const run = (second: string[], ua: string) => index(second)(ua.toLowerCase(), ua);

  it.each([
    ['a plain text', ['crawl'], 'MyBot Crawler', 2],
    ['the lowest row, wherever it is found', ['crawl', 'feed'], 'feed mybot crawl', 2],
    ['a pattern where its text occurs', ['\\bscan\\b', 'feed'], 'mybot scan feed', 2],
    ['not a pattern whose text occurs without it', ['\\bscan\\b', 'feed'], 'mybot scanner feed', 3],
    ['a row without a text', ['feed', '^acme'], 'ACME mybot', 3],
    ['a row without a text that a lower row beats', ['feed', '^acme'], 'acme mybot feed', 2],
    ['none of them', ['feed', '^acme'], 'mybot', null],
  ])('answers the lowest second-track row of a fallback hit: %s', (_name, second, ua, expected) => {
    const hit = run(second, ua);
    expect({ row: hit?.row, second: hit?.second }).toEqual({ row: 1, second: expected });
  });

  it('answers no second-track row when a row before the fallbacks is found', () => {
    expect(run(['crawl'], 'zzz crawl bot')).toEqual({ row: 0, text: 'zzz', second: null });
    expect(run(['crawl'], 'crawl only')).toBeNull();
  });

  it('refuses bounds out of order', () => {
    expect(() => createBotIndex([{ pattern: 'a' }], 1, 0)).toThrow(RangeError);
    expect(() => createBotIndex([{ pattern: 'a' }], 0, 2)).toThrow(RangeError);
  });
});

describe('createBotIndex on the built-in table', () => {
  const rows = builtInRows();
  const expressions = rows.map((row) => new RegExp(row.pattern, 'i'));
  // isbot's generic patterns (the rows without a name, last) as fallbacks, as the classifier has them.
  const findBot = createBotIndex(
    rows,
    rows.findIndex((row) => row.name === null),
  );
  /** What trying every row in order would answer: the index must agree with it. */
  const naive = (ua: string) => {
    for (let row = 0; row < expressions.length; row++) {
      const found = (expressions[row] as RegExp).exec(ua);
      if (found !== null) return row;
    }
    return null;
  };
  const uas = knownUserAgents();

  it('finds the row that trying every row in order finds, for every known user agent', () => {
    expect(uas.length).toBeGreaterThan(4000);
    const disagreements = uas.filter((ua) => (findBot(ua.toLowerCase(), ua)?.row ?? null) !== naive(ua));
    expect(disagreements).toEqual([]);
  });

  it('agrees with it on cut, padded and re-cased user agents too', () => {
    // Every third user agent: trying 1,800 rows one by one is slow.
    const variants = uas
      .filter((_ua, index) => index % 3 === 0)
      .flatMap((ua) => [ua.slice(1), ua.slice(0, -1), ` ${ua}`, `${ua};`, ua.toUpperCase()]);
    const disagreements = variants.filter((ua) => (findBot(ua.toLowerCase(), ua)?.row ?? null) !== naive(ua));
    expect(disagreements).toEqual([]);
  });
});

describe('createBotIndex on the built-in table with the hints as its second track', () => {
  const rows = builtInRows();
  const hints = hintRows().rows;
  const fallbackFrom = rows.findIndex((row) => row.name === null);
  const findBot = createBotIndex([...rows, ...hints], fallbackFrom, rows.length);
  const hintExpressions = hints.map((hint) => new RegExp(hint.pattern, 'i'));
  /** The first hint that matches the lower-cased user agent, tried one by one. */
  const naiveHint = (lowerUa: string) => {
    const found = hintExpressions.findIndex((expression) => expression.test(lowerUa));
    return found === -1 ? null : rows.length + found;
  };
  const uas = knownUserAgents().flatMap((ua) => [ua, ` ${ua}`, ua.toUpperCase()]);

  it('answers the hint trying every hint in order finds, for every user agent a fallback catches', () => {
    const hits = uas.map((ua) => ({ ua, hit: findBot(ua.toLowerCase(), ua) }));
    const fallbacks = hits.filter(({ hit }) => hit !== null && hit.row >= fallbackFrom);
    expect(fallbacks.length).toBeGreaterThan(500);
    const wrong = fallbacks.filter(({ ua, hit }) => hit?.second !== naiveHint(ua.toLowerCase()));
    expect(wrong.map(({ ua }) => ua)).toEqual([]);
    const named = hits.filter(({ hit }) => hit !== null && hit.row < fallbackFrom);
    expect(named.every(({ hit }) => hit?.second === null)).toBe(true);
  });
});
