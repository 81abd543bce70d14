import { describe, expect, it } from 'vitest';
import { classifyUserAgent, createUaClassifier, EMPTY_USER_AGENT } from './classify.js';
import { KNOWN_BOTS } from './table.js';
import { RARE_BROWSERS } from '../../../test/bots/known.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
  'Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';

describe('classifyUserAgent', () => {
  it.each([
    // search engines
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'search-engine', 'Googlebot'],
    [
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) ' +
        'Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'search-engine',
      'Googlebot',
    ],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'search-engine', 'Bingbot'],
    ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'search-engine', 'YandexBot'],
    [
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      'search-engine',
      'Baiduspider',
    ],
    ['DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', 'search-engine', 'DuckDuckBot'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 ' +
        'Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
      'search-engine',
      'Applebot',
    ],
    // AI crawlers and assistants
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
      'ai-crawler',
      'GPTBot',
    ],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
      'ai-crawler',
      'ClaudeBot',
    ],
    ['CCBot/2.0 (https://commoncrawl.org/faq/)', 'ai-crawler', 'CCBot'],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; ' +
        '+https://perplexity.ai/perplexitybot)',
      'ai-search',
      'PerplexityBot',
    ],
    [
      'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; ' +
        'Bytespider; spider-feedback@bytedance.com)',
      'ai-crawler',
      'Bytespider',
    ],
    ['Google-Extended', 'ai-crawler', 'Google-Extended'],
    [
      'Mozilla/5.0 (compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot)',
      'ai-crawler',
      'Amazonbot',
    ],
    [
      'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
      'ai-crawler',
      'meta-externalagent',
    ],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot',
      'ai-assistant',
      'ChatGPT-User',
    ],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)',
      'ai-assistant',
      'Claude-User',
    ],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; ' +
        '+https://perplexity.ai/perplexity-user)',
      'ai-assistant',
      'Perplexity-User',
    ],
    // SEO tools
    ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 'seo', 'AhrefsBot'],
    ['Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', 'seo', 'SemrushBot'],
    ['Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)', 'seo', 'MJ12bot'],
    ['Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)', 'seo', 'DotBot'],
    // monitors
    ['Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)', 'monitor', 'UptimeRobot'],
    ['Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)', 'monitor', 'Pingdom'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0.4758.102 ' +
        'Safari/537.36 StatusCake',
      'monitor',
      'StatusCake',
    ],
    ['Datadog/Synthetics', 'monitor', 'Datadog'],
    ['Site24x7', 'monitor', 'Site24x7'],
    ['kube-probe/1.29', 'monitor', 'kube-probe'],
    // scanners
    ['sqlmap/1.7.2#stable (https://sqlmap.org)', 'scanner', 'sqlmap'],
    ['Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)', 'scanner', 'Nikto'],
    [
      'Mozilla/5.0 (Windows NT 10.0) Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
      'scanner',
      'Nuclei',
    ],
    ['Mozilla/5.0 zgrab/0.x', 'scanner', 'zgrab'],
    ['masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 'scanner', 'masscan'],
    ['WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)', 'scanner', 'WPScan'],
    ['Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', 'scanner', 'Nmap'],
    ['DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)', 'scanner', 'DirBuster'],
    ['gobuster/3.6', 'scanner', 'gobuster'],
    ['Fuzz Faster U Fool v2.1.0-dev', 'scanner', 'ffuf'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Acunetix-Product', 'scanner', 'Acunetix'],
    ['Mozilla/5.0 (compatible; Nessus)', 'scanner', 'Nessus'],
    ['Mozilla/5.0 [en] (X11, U; OpenVAS-VT 9.0.3)', 'scanner', 'OpenVAS'],
    ['WhatWeb/0.5.5', 'scanner', 'WhatWeb'],
    ['python-requests/2.31.0 sqlmap', 'scanner', 'sqlmap'],
    // HTTP clients
    ['curl/8.4.0', 'http-client', 'curl'],
    ['Wget/1.21.4', 'http-client', 'Wget'],
    ['python-requests/2.31.0', 'http-client', 'python-requests'],
    ['Go-http-client/1.1', 'http-client', 'Go-http-client'],
    ['axios/1.7.2', 'http-client', 'axios'],
    ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'http-client', 'node-fetch'],
    ['node', 'http-client', 'Node.js fetch'],
    ['okhttp/4.12.0', 'http-client', 'okhttp'],
    ['Java/17.0.2', 'http-client', 'Java'],
    ['Apache-HttpClient/4.5.14 (Java/17.0.2)', 'http-client', 'Apache-HttpClient'],
    ['libwww-perl/6.72', 'http-client', 'libwww-perl'],
    ['HTTPie/3.2.2', 'http-client', 'HTTPie'],
    ['Scrapy/2.11.2 (+https://scrapy.org)', 'crawler', 'Scrapy'],
    // link previews, feeds, archivers, validators
    [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'social-preview',
      'facebookexternalhit',
    ],
    ['Twitterbot/1.0', 'social-preview', 'Twitterbot'],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'social-preview', 'Slackbot'],
    ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'social-preview', 'Discordbot'],
    [
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      'social-preview',
      'LinkedInBot',
    ],
    ['TelegramBot (like TwitterBot)', 'social-preview', 'TelegramBot'],
    ['WhatsApp/2.23.20.0 A', 'social-preview', 'WhatsApp'],
    ['http.rb/5.1.1 (Mastodon/4.2.8; +https://mastodon.social/)', 'social-preview', 'Mastodon'],
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 23 subscribers)', 'feed', 'Feedly'],
    ['Feedfetcher-Google; (+http://www.google.com/feedfetcher.html)', 'feed', 'Feedfetcher'],
    ['ia_archiver (+http://www.alexa.com/site/help/webmasters; crawler@alexa.com)', 'archiver', 'ia_archiver'],
    [
      'Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)',
      'archiver',
      'archive.org_bot',
    ],
    ['W3C_Validator/1.3 http://validator.w3.org/services', 'validator', 'W3C_Validator'],
    // A bot that names itself beside its engine or library, or before a longer name's bot.
    ['Mozilla/5.0 (compatible; YandexAdditionalBot/1.0; +http://yandex.com/bots)', 'ai-search', 'YandexAdditional'],
    ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'search-engine', 'YandexBot'],
    [
      'Mozilla/5.0 (compatible) AI2Bot-DeepResearchEval (+https://www.allenai.org/crawler)',
      'ai-assistant',
      'AI2Bot-DeepResearchEval',
    ],
    ['Mozilla/5.0 (compatible) AI2Bot (+https://www.allenai.org/crawler)', 'ai-crawler', 'AI2Bot'],
    ['munin/2.0.75 (libwww-perl/6.68)', 'monitor', 'Munin'],
    ['libwww-perl/6.68', 'http-client', 'libwww-perl'],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/128.0.0.0 ' +
        'Safari/537.36 Elastic/Synthetics',
      'monitor',
      'Elastic Synthetics',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/128.0.0.0 ' +
        'Safari/537.36 WordPress.com mShots',
      'preview',
      'mShots',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/128.0.0.0 Safari/537.36',
      'crawler',
      'HeadlessChrome',
    ],
    // Services that fetch one address for someone: a token, a citation, a payment's callback.
    [
      "Mozilla/5.0 (compatible; Let's Encrypt validation server; +https://www.letsencrypt.org)",
      'preview',
      "Let's Encrypt validation",
    ],
    ['ZoteroTranslationServer/2.0 (mailto:citoid@example.org)', 'preview', 'Zotero translation-server'],
    ['PayPal IPN ( https://www.paypal.com/ipn )', 'preview', 'PayPal IPN'],
    ['RepoLookoutBot/1.2.0 (abuse reports to abuse@repo-lookout.org)', 'security-monitor', 'Repo Lookout'],
    // WordPress's HTTP API and load generators are HTTP clients; a browser-like word is not enough.
    ['WordPress/6.6.2; https://blog.example.com', 'http-client', 'WordPress'],
    ['ApacheBench/2.3', 'http-client', 'ApacheBench'],
    ['Mozilla/5.0 (pc-x86_64-linux-gnu) Siege/4.1.6', 'http-client', 'Siege'],
    ['k6/0.52.0 (https://k6.io/)', 'http-client', 'k6'],
  ])('%s → %s', (ua, category, name) => {
    const { isBot, category: got, name: named } = classifyUserAgent(ua);
    expect({ isBot, category: got, name: named }).toEqual({ isBot: true, category, name });
  });

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
    [
      // `SLCC2` holds the ai.robots.txt token `LCC`, which is only found as a word of its own.
      'Internet Explorer 11 on Windows 7',
      'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; ' +
        'rv:11.0) like Gecko',
    ],
  ])('%s is a browser', (_name, ua) => {
    expect(classifyUserAgent(ua)).toEqual({ isBot: false, category: null, name: null });
  });

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

  it('has unique names and patterns that compile', () => {
    const names = KNOWN_BOTS.map((bot) => bot.name);
    expect(new Set(names).size).toBe(names.length);
    for (const bot of KNOWN_BOTS) expect(() => new RegExp(bot.pattern, 'i')).not.toThrow();
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
