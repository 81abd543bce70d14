import type { BotCategory } from '../../protocol/event.js';
import { escapeRegExp } from '../regexp.js';

/**
 * One well-known user agent: its display name, its category and a case-insensitive regular
 * expression source (no capture groups) that finds it in a user-agent string.
 */
export interface KnownBot {
  readonly name: string;
  readonly category: BotCategory;
  readonly pattern: string;
}

type Row = readonly [name: string, pattern?: string];

/**
 * Rows per category, highest priority first: when one user agent names several tools (a
 * scanner built on an HTTP library, a preview fetcher on `http.rb`), the earlier row wins.
 * A row without a pattern matches its name.
 */
const ROWS: ReadonlyArray<readonly [BotCategory, readonly Row[]]> = [
  [
    'scanner',
    [
      ['sqlmap'],
      ['Log4Shell probe', '\\$\\{jndi:'],
      ['PHP injection probe', '<\\?php|<\\?='],
      ['Nikto', 'nikto'],
      ['Nuclei', 'nuclei'],
      ['zgrab'],
      ['masscan'],
      ['WPScan', 'wpscan'],
      ['Nmap', 'nmap'],
      ['DirBuster', 'dirbuster'],
      ['gobuster'],
      ['ffuf', 'ffuf|fuzz faster u fool'],
      ['feroxbuster'],
      ['dirsearch'],
      ['Wfuzz', 'wfuzz'],
      ['Acunetix', 'acunetix'],
      ['Nessus', 'nessus'],
      ['OpenVAS', 'openvas'],
      ['WhatWeb', 'whatweb'],
      ['Arachni', 'arachni'],
      ['w3af', 'w3af\\.org'],
      ['Netsparker', 'netsparker|invicti'],
      ['Qualys', 'qualys'],
      ['Detectify', 'detectify'],
      ['ZmEu', 'zmeu'],
      ['Morfeus', 'morfeus'],
      ['Jorgee', 'jorgee'],
      ['LeakIX', 'l9explore|l9tcpid|leakix'],
    ],
  ],
  [
    'security-monitor',
    [
      ['CensysInspect', 'censysinspect'],
      ['Expanse', 'expanse, a palo alto'],
      ['Nimbostratus', 'nimbostratus'],
      ['Shodan', 'shodan'],
      ['Internet Measurement', 'internet-measurement'],
      ['ModatScanner', 'modatscanner'],
      // repo-lookout.org: a scanner that looks for source-code repositories sites expose by mistake
      // (`/.git/`), and reports them to the sites' owners.
      ['Repo Lookout', 'repolookoutbot'],
    ],
  ],
  [
    'ai-search',
    [
      ['OAI-SearchBot', 'oai-searchbot'],
      ['Claude-SearchBot', 'claude-searchbot'],
      ['PerplexityBot', 'perplexitybot'],
      ['YouBot', 'youbot'],
      // Yandex's robot for YandexGPT's quick answers (yandex.ru/support/webmaster, "Yandex robots"),
      // before YandexBot, whose pattern its name matches.
      ['YandexAdditional', 'yandexadditional'],
    ],
  ],
  [
    'ai-assistant',
    [
      ['ChatGPT-User', 'chatgpt-user'],
      ['Claude-User', 'claude-user'],
      ['Claude-Web', 'claude-web'],
      ['Perplexity-User', 'perplexity-user'],
      ['DuckAssistBot', 'duckassistbot'],
      ['MistralAI-User', 'mistralai-user'],
      ['meta-externalfetcher'],
      ['Gemini-Deep-Research', 'gemini-deep-research'],
      // Ai2's deep-research queries (ai.robots.txt: AI Assistants), before Ai2's training crawler AI2Bot.
      ['AI2Bot-DeepResearchEval', 'ai2bot-deepresearcheval'],
    ],
  ],
  [
    'ai-crawler',
    [
      ['GPTBot', 'gptbot'],
      ['ClaudeBot', 'claudebot'],
      ['anthropic-ai'],
      ['CCBot', 'ccbot'],
      ['Bytespider', 'bytespider'],
      ['Google-Extended', 'google-extended'],
      ['Applebot-Extended', 'applebot-extended'],
      ['Amazonbot', 'amazonbot'],
      ['meta-externalagent'],
      ['FacebookBot', 'facebookbot'],
      ['cohere-ai'],
      ['Diffbot', 'diffbot'],
      ['ImagesiftBot', 'imagesiftbot'],
      ['Timpibot', 'timpibot'],
      ['AI2Bot', 'ai2bot'],
      ['PanguBot', 'pangubot'],
      ['Omgilibot', 'omgili'],
      ['img2dataset'],
      ['Kangaroo Bot', 'kangaroo bot'],
      ['TikTokSpider', 'tiktokspider'],
    ],
  ],
  [
    'search-engine',
    [
      ['Googlebot', 'googlebot'],
      ['GoogleOther', 'googleother'],
      ['Google-InspectionTool', 'google-inspectiontool'],
      ['Storebot-Google', 'storebot-google'],
      ['Bingbot', 'bingbot|bingpreview|msnbot|adidxbot'],
      ['YandexBot', 'yandex\\w*bot|yandeximages'],
      ['Baiduspider', 'baiduspider'],
      ['DuckDuckBot', 'duckduckbot'],
      ['Applebot', 'applebot'],
      ['Yahoo! Slurp', 'yahoo! slurp'],
      ['SeznamBot', 'seznambot'],
      ['Yeti', '\\byeti/'],
      ['PetalBot', 'petalbot'],
      ['Sogou', 'sogou \\w* ?spider'],
      ['MojeekBot', 'mojeekbot'],
      ['Qwantbot', 'qwantbot|qwantify'],
      ['coccocbot', 'coccocbot'],
      ['Exabot', 'exabot'],
      ['SeekportBot', 'seekportbot'],
    ],
  ],
  [
    'advertising',
    [
      ['AdsBot-Google', 'adsbot-google'],
      ['Mediapartners-Google', 'mediapartners-google'],
    ],
  ],
  [
    'seo',
    [
      ['AhrefsBot', 'ahrefs(?:bot|siteaudit)'],
      ['SemrushBot', 'semrush'],
      ['MJ12bot', 'mj12bot'],
      ['DotBot', 'dotbot'],
      ['BLEXBot', 'blexbot'],
      ['serpstatbot'],
      ['DataForSeoBot', 'dataforseobot'],
      ['Screaming Frog SEO Spider', 'screaming frog'],
      ['rogerbot'],
      ['SiteAuditBot', 'siteauditbot'],
      ['Barkrowler', 'barkrowler'],
      ['MegaIndex', 'megaindex'],
      ['SEOkicks', 'seokicks'],
      ['Sitebulb', 'sitebulb'],
      ['linkdexbot'],
    ],
  ],
  [
    'monitor',
    [
      ['UptimeRobot', 'uptimerobot'],
      ['Pingdom', 'pingdom'],
      ['StatusCake', 'statuscake'],
      ['Datadog', 'datadog'],
      ['Site24x7', 'site24x7'],
      ['Better Stack', 'better uptime|betterstack'],
      ['Checkly', 'checkly'],
      ['NewRelicPinger', 'newrelicpinger'],
      ['GoogleStackdriverMonitoring', 'googlestackdrivermonitoring'],
      ['ELB-HealthChecker', 'elb-healthchecker'],
      ['kube-probe'],
      ['Uptime Kuma', 'uptime-kuma'],
      ['Zabbix', 'zabbix'],
      ['Nagios', 'nagios|check_http'],
      ['Blackbox Exporter', 'blackbox.exporter'],
      ['Freshping', 'freshping'],
      ['HetrixTools', 'hetrixtools'],
      ['Route 53 health check', 'amazon-route53-health-check'],
      ['Cloudflare health check', 'cloudflare-healthchecks'],
      // Monitors driving a headless browser or an HTTP library name themselves beside it.
      ['Elastic Synthetics', 'elastic/synthetics'],
      ['Munin', 'munin/'],
    ],
  ],
  [
    'social-preview',
    [
      ['facebookexternalhit', 'facebookexternalhit|facebookcatalog'],
      ['TelegramBot', 'telegrambot'],
      ['Twitterbot', 'twitterbot'],
      ['Slackbot', 'slackbot|slack-imgproxy'],
      ['Discordbot', 'discordbot'],
      ['LinkedInBot', 'linkedinbot'],
      ['WhatsApp', 'whatsapp/'],
      ['Pinterestbot', 'pinterestbot'],
      ['redditbot', 'redditbot'],
      ['SkypeUriPreview', 'skypeuripreview'],
      ['vkShare', 'vkshare'],
      ['Mastodon', 'mastodon/'],
      ['Bluesky', 'cardyb'],
      ['XING', 'xing-contenttabreceiver'],
    ],
  ],
  [
    'preview',
    [
      // Let's Encrypt's HTTP-01 challenge (letsencrypt.org/docs/challenge-types): domain control
      // validation, a preview in our terms (see guess.ts).
      ["Let's Encrypt validation", "let's encrypt validation server"],
      // github.com/Automattic/mShots: WordPress.com's screenshot service, on headless Chrome.
      ['mShots', 'wordpress\\.com mshots'],
      // github.com/zotero/translation-server: turns a URL an editor gives into a citation (Wikipedia's
      // Citoid runs it).
      ['Zotero translation-server', 'zoterotranslationserver'],
      // PayPal's Instant Payment Notification: a payment's callback to the shop's listener URL.
      ['PayPal IPN', 'paypal ipn'],
      // Link unfurlers and image proxies that serve other services than a social network (the meaning
      // of `preview`): Embedly's and Iframely's embed APIs, Gmail's and GitHub's image proxies,
      // Yahoo Mail's link previews, OpenGraph.io's metadata API, Google's page previews.
      ['Embedly', 'embedly'],
      ['Iframely', 'iframely'],
      ['Gmail Image Proxy', 'googleimageproxy'],
      ['GitHub Camo', 'github-camo'],
      ['Yahoo Link Preview', 'yahoo link preview'],
      ['OpenGraph.io', 'opengraph\\.io'],
      ['Google Web Preview', 'google web preview'],
    ],
  ],
  [
    'feed',
    [
      ['Feedly', 'feedly'],
      ['Feedfetcher', 'feedfetcher'],
      ['Inoreader', 'inoreader'],
      ['NewsBlur', 'newsblur'],
      ['Feedbin', 'feedbin'],
      ['Tiny Tiny RSS', 'tiny tiny rss'],
      ['FreshRSS', 'freshrss'],
      ['NetNewsWire', 'netnewswire'],
      ['Miniflux', 'miniflux'],
      ['Superfeedr', 'superfeedr'],
      ['FeedBurner', 'feedburner'],
      ['The Old Reader', 'theoldreader'],
      ['Feedspot', 'feedspot'],
      ['Flipboard', 'flipboardproxy|flipboardrss'],
    ],
  ],
  [
    'archiver',
    [
      ['ia_archiver'],
      ['archive.org_bot', 'archive\\.org_bot'],
      ['Wayback Machine', 'wayback'],
      ['Heritrix', 'heritrix'],
      ['ArchiveBot', 'archivebot|archiveteam'],
      ['Arquivo.pt', 'arquivo-web-crawler'],
    ],
  ],
  [
    'validator',
    [
      ['W3C_Validator', 'w3c_validator|validator\\.w3\\.org'],
      ['W3C_CSS_Validator', 'w3c_css_validator|jigsaw'],
      ['W3C-checklink', 'w3c-checklink'],
      ['W3C-mobileOK', 'w3c-mobileok'],
      ['Validator.nu', 'validator\\.nu'],
      ['FeedValidator', 'feedvalidator'],
      ['Chrome-Lighthouse', 'chrome-lighthouse'],
      ['PageSpeed Insights', 'google page speed|pagespeed'],
      ['GTmetrix', 'gtmetrix'],
      ['SSL Labs', 'ssllabs'],
      ['Google-Structured-Data-Testing-Tool', 'google-structured-data'],
    ],
  ],
  [
    'crawler',
    [
      ['Scrapy', 'scrapy'],
      ['Apache Nutch', 'nutch'],
      ['Colly', 'colly'],
      ['crawler4j'],
      ['HTTrack', 'httrack'],
      ['StormCrawler', 'stormcrawler'],
      ['HeadlessChrome', 'headlesschrome'],
      ['PhantomJS', 'phantomjs'],
      ['ZoominfoBot', 'zoominfobot'],
      ['Dataprovider', 'dataprovider'],
    ],
  ],
  [
    'http-client',
    [
      ['curl', 'curl/'],
      ['Wget', 'wget'],
      ['python-requests'],
      ['python-urllib'],
      ['aiohttp'],
      ['python-httpx'],
      ['Go-http-client', 'go-http-client'],
      ['axios', 'axios/'],
      ['node-fetch'],
      ['undici'],
      ['got', '\\bgot \\('],
      ['Node.js fetch', '^node$'],
      ['okhttp'],
      ['Apache-HttpClient', 'apache-httpclient|commons-httpclient'],
      ['Java', '^java/|\\bjava/\\d'],
      ['libwww-perl'],
      ['HTTPie', 'httpie'],
      ['PostmanRuntime', 'postmanruntime'],
      ['Insomnia', 'insomnia/'],
      ['Ruby', '^ruby'],
      ['Faraday', 'faraday'],
      ['GuzzleHttp', 'guzzlehttp'],
      ['PHP', '^php/'],
      ['RestSharp', 'restsharp'],
      ['reqwest'],
      ['Dart', '^dart/|dart:io'],
      ['Deno', '^deno/'],
      ['Bun', '^bun/'],
      ['WinHttp', 'winhttp'],
      ['Mechanize', 'mechanize'],
      ['PowerShell', 'powershell'],
      ['aria2', 'aria2/'],
      // WordPress's own HTTP API (WP_Http in wp-includes) sends `WordPress/<version>; <site URL>`.
      ['WordPress', '^wordpress/'],
      // Load generators: ApacheBench (`ab`, Apache httpd's support tools), Siege, Grafana k6.
      ['ApacheBench', 'apachebench/'],
      ['Siege', '\\bsiege/'],
      ['k6', '^k6/'],
    ],
  ],
];

/**
 * Every well-known user agent, in priority order: these, our own entries, come before the generated
 * table (`generated/bot-table.ts`), and HTTP clients after it, since bots are often built on them.
 */
export const KNOWN_BOTS: readonly KnownBot[] = ROWS.flatMap(([category, rows]) =>
  rows.map(([name, pattern]) => ({ name, category, pattern: pattern ?? escapeRegExp(name.toLowerCase()) })),
);
