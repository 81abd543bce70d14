// The names and categories the tables give (our own, `table.ts`, before the one generated from open
// data, `generated/`), through the classifier that reads them.
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from './classify.js';
import { KNOWN_BOTS } from './table.js';

describe('named bots', () => {
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
    // Link previewers: a social network's fetcher is `social-preview` (above), any other service's (an
    // embed API, a mail or code host's image proxy) is `preview` (see event.ts).
    ['Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)', 'preview', 'Embedly'],
    ['Iframely/1.6.1 (+https://metadata.xayn.com)', 'preview', 'Iframely'],
    [
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      'preview',
      'Gmail Image Proxy',
    ],
    ['github-camo (d76dea84)', 'preview', 'GitHub Camo'],
    ['Mozilla/5.0 (compatible; Yahoo Link Preview; https://help.yahoo.com/kb/mail/)', 'preview', 'Yahoo Link Preview'],
    ['Mozilla/5.0 (compatible; OpenGraph.io/1.1; +https://opengraph.io/;)', 'preview', 'OpenGraph.io'],
    [
      'Mozilla/5.0 (en-us) AppleWebKit/525.13 (KHTML, like Gecko; Google Web Preview) Version/3.1 Safari/525.13',
      'preview',
      'Google Web Preview',
    ],
  ])('%s → %s', (ua, category, name) => {
    const { isBot, category: got, name: named } = classifyUserAgent(ua);
    expect({ isBot, category: got, name: named }).toEqual({ isBot: true, category, name });
  });

  it('reads the dot in OpenGraph.io as a dot', () => {
    expect(classifyUserAgent('Mozilla/5.0 (compatible; OpenGraphXio/1.1)').name).not.toBe('OpenGraph.io');
  });

  it('has unique names and patterns that compile', () => {
    const names = KNOWN_BOTS.map((bot) => bot.name);
    expect(new Set(names).size).toBe(names.length);
    for (const bot of KNOWN_BOTS) expect(() => new RegExp(bot.pattern, 'i')).not.toThrow();
  });
});
