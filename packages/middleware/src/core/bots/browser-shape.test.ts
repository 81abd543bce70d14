import { describe, expect, it } from 'vitest';
import { browserUserAgents, heldOutBots } from '../../../test/bots/holdout.js';
import { knownUserAgents, sourceBotExamples } from '../../../test/bots/known.js';
import { BROWSER_SHAPE, isPlainBrowser } from './browser-shape.js';
import { createUaClassifier } from './classify.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

describe('isPlainBrowser', () => {
  it.each([
    ['Chrome on Windows', CHROME],
    ['Chrome on Android, reduced', ANDROID_CHROME],
    ['Edge', `${CHROME} Edg/131.0.2903.86`],
    [
      'Safari on macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
        'Version/18.3 Safari/605.1.15',
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
        'Version/18.3 Mobile/15E148 Safari/604.1',
    ],
    [
      'Google app on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 26_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
        'GSA/439.4.980558000 Mobile/15E148 Safari/604.1',
    ],
    ['Firefox on Linux', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'],
    ['Firefox on Android', 'Mozilla/5.0 (Android 16; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0'],
    [
      'a Samsung WebView',
      'Mozilla/5.0 (Linux; Android 16; SM-A155F Build/BP4A.251205.006; wv) AppleWebKit/537.36 ' +
        '(KHTML, like Gecko) Version/4.0 Chrome/153.0.8010.36 Mobile Safari/537.36',
    ],
  ])('%s is a plain browser', (_name, ua) => {
    expect(isPlainBrowser(ua)).toBe(true);
  });

  it.each([
    [
      "Googlebot's smartphone crawler (a browser's user agent and its own token)",
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) ' +
        'Chrome/131.0.6778.139 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ],
    ['a word after the browser', `${CHROME} bot`],
    ['a word before it', `acme-crawler ${CHROME}`],
    ['headless Chrome', CHROME.replace('Chrome/', 'HeadlessChrome/')],
    ['a bot as the phone model', ANDROID_CHROME.replace('; K)', '; GOOGLEBOT)')],
    ['a lower-case phone model', ANDROID_CHROME.replace('; K)', '; acmebot)')],
    ['a compatible token in the platform', CHROME.replace('x64)', 'x64; compatible; Bingbot/2.0)')],
    ['a line break at the end', `${CHROME}\n`],
    ['a NUL at the end', `${CHROME}\u0000`],
    ['a tab inside', CHROME.replace(' Safari', '\tSafari')],
    ['in capitals', CHROME.toUpperCase()],
    ['2 KiB of versions', CHROME.replace('131.0.0.0', '1.'.repeat(1024) + '0')],
    ['padded to 2 KiB', `${CHROME}${' '.repeat(2048)}`],
    ['empty', ''],
  ])('%s is not', (_name, ua) => {
    expect(isPlainBrowser(ua)).toBe(false);
  });

  it.each([
    ['a device code', `Mozilla/5.0 (Linux; Android 10; ${'A'.repeat(2000)}`],
    ['builds', `Mozilla/5.0 (Linux; Android 10; SM-A155F${' Build/1.1'.repeat(200)}`],
    ['versions', `Mozilla/5.0 (Windows NT 10.0) AppleWebKit/1 (KHTML, like Gecko) Chrome/${'1.'.repeat(1000)}`],
  ])('costs little on a 2,000-character near miss: %s', (_name, nearMiss) => {
    // The expression itself, past the length check: nothing in it repeats a repetition.
    const start = performance.now();
    for (let i = 0; i < 1000; i++) BROWSER_SHAPE.test(nearMiss);
    expect(BROWSER_SHAPE.test(nearMiss)).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('never takes a bot user agent the project holds for a plain browser', () => {
    const bots = [...heldOutBots().map((bot) => bot.ua), ...sourceBotExamples()];
    expect(bots.length).toBeGreaterThan(3000);
    expect(bots.filter(isPlainBrowser)).toEqual([]);
  });

  it('covers most real browsers', () => {
    const browsers = browserUserAgents();
    expect(browsers.filter(isPlainBrowser).length / browsers.length).toBeGreaterThan(0.95);
  });

  it('answers as the full scan does for every user agent the project holds', () => {
    const shortcut = createUaClassifier({ maxCachedLength: 0 });
    const scanned = createUaClassifier({ maxCachedLength: 0, scanEvery: true });
    for (const ua of knownUserAgents()) expect(shortcut(ua), ua).toEqual(scanned(ua));
  });

  it("gives way to the user's own patterns", () => {
    const classify = createUaClassifier({
      extraBots: [{ name: 'old-chrome-scraper', category: 'crawler', pattern: 'Chrome/131.0.0.0 Safari' }],
    });
    expect(classify(CHROME)).toEqual({ isBot: true, category: 'crawler', name: 'old-chrome-scraper' });
    expect(classify(CHROME.replace('131.0.0.0', '132.0.0.0'))).toEqual({ isBot: false, category: null, name: null });
  });
});
