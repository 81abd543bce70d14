import { describe, expect, it } from 'vitest';
import { classifyUserAgent, createUaClassifier, EMPTY_USER_AGENT } from './classify.js';
import { RARE_BROWSERS } from '../../../test/bots/known.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
  'Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';

describe('classifyUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'googlebot'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bingbot'],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
      'gptbot',
    ],
    ['AdsBot-Google (+http://www.google.com/adsbot.html)', 'google-special-crawlers'],
  ])('names the published address list of a crawler that has one: %s', (ua, list) => {
    expect(classifyUserAgent(ua).crawlerList).toBe(list);
  });

  it.each([['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'], ['curl/8.4.0'], [CHROME]])(
    'names no address list for a bot without one: %s',
    (ua) => {
      expect(classifyUserAgent(ua).crawlerList).toBeUndefined();
    },
  );

  it.each([
    ['Chrome on Windows', CHROME],
    ['Safari on iPhone', SAFARI_IOS],
    ['Firefox on Linux', FIREFOX],
    ['Edge', `${CHROME} Edg/126.0.0.0`],
    [
      'Samsung Internet',
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 ' +
        'Chrome/121.0.0.0 Mobile Safari/537.36',
    ],
  ])('%s is a browser', (_name, ua) => {
    expect(classifyUserAgent(ua)).toEqual({ isBot: false, category: null, name: null });
  });

  // Among them Internet Explorer on Windows 7, whose `SLCC2` holds the ai.robots.txt token `LCC`.
  it.each(RARE_BROWSERS)('an older or rarer browser is a browser: %s', (ua) => {
    expect(classifyUserAgent(ua)).toEqual({ isBot: false, category: null, name: null });
  });

  it("takes CloudFront's stand-in for a user agent it did not forward for no bot, and nothing else", () => {
    expect(classifyUserAgent('Amazon CloudFront')).toEqual({ isBot: false, category: null, name: null });
    // Only the exact text: a bot that adds to it, or spells it otherwise, is classified as ever.
    expect(classifyUserAgent('Amazon CloudFront sqlmap/1.8')).toMatchObject({ isBot: true, category: 'scanner' });
    expect(classifyUserAgent('Amazon CloudFront/2.0')).toMatchObject({ isBot: true });
    expect(classifyUserAgent('amazon cloudfront')).toMatchObject({ isBot: true });
    // Your own patterns still come first.
    const classify = createUaClassifier({ extraBots: [{ name: 'cdn', category: 'monitor', pattern: 'CloudFront' }] });
    expect(classify('Amazon CloudFront')).toEqual({ isBot: true, category: 'monitor', name: 'cdn' });
  });

  it.each([[undefined], [null], [''], ['   ']])('a missing user agent (%j) is a signal of its own', (ua) => {
    expect(classifyUserAgent(ua)).toEqual({ isBot: true, category: 'other-bot', name: 'empty user agent' });
    expect(classifyUserAgent(ua)).toBe(EMPTY_USER_AGENT);
  });

  it('keeps blank user agents out of its cache, however often they come', () => {
    const classify = createUaClassifier({ cacheSize: 10 });
    for (const ua of ['', ' ', '\t', '   ', ' ']) expect(classify(ua)).toBe(EMPTY_USER_AGENT);
    expect(classify.stats().size).toBe(0);
    classify(' curl/8.5.0 ');
    expect(classify(' curl/8.5.0 ')).toMatchObject({ isBot: true, name: 'curl' });
    expect(classify.stats().size).toBe(1);
  });

  it.each([['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty']])('treats %s like any other text', (ua) => {
    const result = classifyUserAgent(ua);
    expect(result.category === null || typeof result.category === 'string').toBe(true);
    expect(result.crawlerList).toBeUndefined();
  });
});

describe('createUaClassifier', () => {
  it('caches per string within a bounded LRU', () => {
    const classify = createUaClassifier({ cacheSize: 3 });
    const first = classify('curl/8.0');
    expect(classify('curl/8.0')).toBe(first);
    for (const ua of ['a-bot/1', 'b-bot/1', 'c-bot/1', 'd-bot/1']) classify(ua);
    expect(classify.stats()).toEqual({ size: 3, capacity: 3, evictions: 2 });
  });

  it('does not cache very long user agents', () => {
    const classify = createUaClassifier({ maxCachedLength: 50 });
    classify(`${CHROME} ${'x'.repeat(100)}`);
    expect(classify.stats().size).toBe(0);
  });

  it('scans the first 2,048 characters of a padded user agent', () => {
    const classify = createUaClassifier();
    expect(classify(`sqlmap/1.7 ${'x'.repeat(10_000)}`).name).toBe('sqlmap');
    expect(classify(`${CHROME} ${'x'.repeat(10_000)} sqlmap/1.7`).category).not.toBe('scanner');
  });

  // The worst measured is ~125 µs warm (`google` repeated); a pattern that backtracks on such text
  // would cost milliseconds to seconds. The first calls compile the expressions they reach (up to
  // ~10 ms for `google`), as a sender sustaining such traffic would find them compiled: two calls
  // first for each first character measured (anchored rows have an expression per first character,
  // which V8 prepares on its first runs: those took over 2 ms on these 2 KiB texts with coverage on),
  // then the median of nine, each a user agent never seen before.
  it.each([
    ['one letter', 'a'.repeat(2048)],
    ['a name', 'google'.repeat(342)],
    ['words ending as a guarded pattern must', `${'; a'.repeat(682)};`],
    ['no spaces, ending in a separator', `${'w'.repeat(2047)};`],
    ['a crawler page again and again', 'http://'.repeat(293)],
    ['digits', '1'.repeat(2048)],
    ['addresses', '@a.'.repeat(683)],
    // The guesses' `(compatible; Name/` slot, a word that is a name only as its own token, `.ai` pages.
    ['an open compatible slot again and again', '(compatible; a'.repeat(146)],
    ['one word after a compatible slot', `compatible; ${'a'.repeat(2036)}`],
    ['a common word as a token again and again', '-Spider/'.repeat(256)],
    ['an AI home page again and again', 'x.ai)'.repeat(409)],
  ])('classifies a hostile 2 KiB user agent in well under 2 ms: %s', (_name, ua) => {
    const classify = createUaClassifier({ maxCachedLength: 0 });
    for (let call = 0; call < 18; call++) classify(`${call % 9}${call < 9 ? 'w' : 'x'}${ua}`);
    const times: number[] = [];
    for (let call = 0; call < 9; call++) {
      const started = performance.now();
      classify(`${call}${ua}`);
      times.push(performance.now() - started);
    }
    expect(times.sort((a, b) => a - b)[4]).toBeLessThan(2);
  });

  it.each([
    ['a name repeated past the scan limit', 'bot'.repeat(700), 'other-bot'],
    ['a verified name repeated', 'Googlebot/'.repeat(205), 'search-engine'],
    ['separators only', ';'.repeat(3000), 'other-bot'],
    ['control bytes', '\u0000\u0001Googlebot\u0002', 'search-engine'],
  ])('classifies hostile text once per call: %s', (_name, ua, category) => {
    const classify = createUaClassifier({ maxCachedLength: 0 });
    expect(classify(ua).category).toBe(category);
    expect(classify(`${ua} `).category).toBe(category);
  });

  it('checks extra bots before the table', () => {
    const classify = createUaClassifier({
      extraBots: [
        { name: 'acme-health', category: 'monitor', pattern: 'Acme-Health' },
        { name: 'partner', category: 'crawler', pattern: /partner-\d+/ },
        { name: 'late', category: 'feed', pattern: 'late-reader' },
      ],
    });
    expect(classify('acme-health/1.0 curl/8.0')).toEqual({ isBot: true, category: 'monitor', name: 'acme-health' });
    // An extra bot may take a built-in name; it is then not taken for a crawler with published addresses.
    expect(
      createUaClassifier({ extraBots: [{ name: 'ours', category: 'crawler', pattern: 'googlebot' }] })('Googlebot/2.1'),
    ).toEqual({ isBot: true, category: 'crawler', name: 'ours' });
    expect(classify('Partner-42')).toEqual({ isBot: true, category: 'crawler', name: 'partner' });
    // Priority is by row, not by position: an earlier row found later in the string wins.
    expect(classify('late-reader/1 partner-7')).toEqual({ isBot: true, category: 'crawler', name: 'partner' });
  });

  it('finds an extra bot anchored at the start or the end only there, in any case', () => {
    const classify = createUaClassifier({
      extraBots: [
        { name: 'acme-check', category: 'monitor', pattern: /^acme-check\/\d/ },
        { name: 'tail-bot', category: 'crawler', pattern: /\d+;q$/ },
      ],
    });
    expect(classify('ACME-Check/2 (x)')).toEqual({ isBot: true, category: 'monitor', name: 'acme-check' });
    expect(classify('zz acme-check/2').name).not.toBe('acme-check');
    expect(classify('Mozilla/5.0 (x) 77;Q')).toEqual({ isBot: true, category: 'crawler', name: 'tail-bot' });
    expect(classify('Mozilla/5.0 (x) 77;q ').name).not.toBe('tail-bot');
  });

  it.each([
    ['bad category', { name: 'x', category: 'robot', pattern: 'x' }],
    ['no name', { name: '', category: 'monitor', pattern: 'x' }],
    ['no pattern', { name: 'x', category: 'monitor', pattern: '' }],
    ['a capture group', { name: 'x', category: 'monitor', pattern: /(acme)-bot/ }],
    ['a pattern matching empty text', { name: 'x', category: 'monitor', pattern: /z*/ }],
  ])('rejects an extra bot with %s', (_name, bot) => {
    expect(() => createUaClassifier({ extraBots: [bot as never] })).toThrow(TypeError);
  });

  it('rejects a bad cache size', () => {
    expect(() => createUaClassifier({ cacheSize: 0 })).toThrow(/capacity 0/);
  });
});
