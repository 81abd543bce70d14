import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ImportFormat } from '../src/importers/formats.js';
import { createRandom } from '../test/support/random.js';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 ' +
    'Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile ' +
    'Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  'curl/8.5.0',
  'python-requests/2.31.0',
  'sqlmap/1.8#stable (https://sqlmap.org)',
  'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000562)',
  'UptimeRobot/2.0 (http://www.uptimerobot.com/)',
  '-',
];
const PATHS = [
  '/',
  '/cart',
  '/products',
  '/products/42',
  '/api/v1/items',
  '/login',
  '/search',
  '/static/app.js',
  '/.env',
  '/wp-login.php',
];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 301, 404, 404, 403, 500, 502, 503];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_START = Date.UTC(2026, 2, 9);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function clientIp(random: () => number): string {
  const n = Math.floor(random() * 5000);
  return n % 10 === 0
    ? `2001:db8:${(n >> 8).toString(16)}::${(n & 0xff).toString(16)}`
    : `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function clfTime(ms: number): string {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${time} +0000`;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', `${pad(Math.floor((ms % 1) * 1000), 3)}Z`);
}

function combinedLine(random: () => number, ts: number): string {
  const ua = pick(random, UAS);
  const status = pick(random, STATUSES);
  return (
    `${clientIp(random)} - - [${clfTime(ts)}] "GET ${pick(random, PATHS)}?id=${Math.floor(random() * 1e6)} ` +
    `HTTP/1.1" ${status} ${Math.floor(random() * 20000)} "https://shop.example/" "${ua}"`
  );
}

function albLine(random: () => number, ts: number): string {
  const status = pick(random, STATUSES);
  const reached = status !== 502 && status !== 503 && status !== 403;
  const target = reached ? `10.0.${Math.floor(random() * 4)}.${Math.floor(random() * 250)}:8080` : '-';
  const times = reached ? `0.001 ${(random() * 0.3).toFixed(3)} 0.000` : '-1 -1 -1';
  return [
    'https',
    isoTime(ts + 40),
    'app/shop-prod/50dc6c495c0c9188',
    `${clientIp(random)}:${1024 + Math.floor(random() * 60000)}`,
    target,
    times,
    status,
    reached ? status : '-',
    Math.floor(random() * 2000),
    Math.floor(random() * 20000),
    `"GET https://shop.example:443${pick(random, PATHS)}?id=${Math.floor(random() * 1e6)} HTTP/1.1"`,
    `"${pick(random, UAS)}"`,
    'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2',
    'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067',
    `"Root=1-65ec6b13-${Math.floor(random() * 1e12).toString(16)}"`,
    '"shop.example"',
    '"arn:aws:acm:eu-west-1:111122223333:certificate/8a1b2c3d"',
    '1',
    isoTime(ts),
    '"waf,forward"',
    '"-"',
    reached ? '"-"' : '"NoHealthyTargets"',
    `"${target}"`,
    `"${reached ? status : '-'}"`,
    '"-"',
    '"-"',
    `TID_${Math.floor(random() * 1e12).toString(16)}`,
  ].join(' ');
}

function wafLine(random: () => number, ts: number): string {
  const roll = random();
  const action = roll < 0.1 ? 'BLOCK' : roll < 0.12 ? 'CHALLENGE' : 'ALLOW';
  const ua = pick(random, UAS);
  return JSON.stringify({
    timestamp: Math.floor(ts),
    formatVersion: 1,
    webaclId: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/shop-acl/1f2e3d4c-0000-4b5a-9c8d-aabbccddeeff',
    terminatingRuleId:
      action === 'ALLOW'
        ? 'Default_Action'
        : action === 'BLOCK'
          ? 'AWS-AWSManagedRulesCommonRuleSet'
          : 'SilentChallenge',
    terminatingRuleType: action === 'BLOCK' ? 'MANAGED_RULE_GROUP' : 'REGULAR',
    action,
    terminatingRuleMatchDetails: [],
    httpSourceName: 'ALB',
    httpSourceId: '111122223333-app/shop-prod/50dc6c495c0c9188',
    ruleGroupList: [
      {
        ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet',
        terminatingRule:
          action === 'BLOCK' ? { ruleId: 'GenericLFI_URIPATH', action: 'BLOCK', ruleMatchDetails: null } : null,
        nonTerminatingMatchingRules: [],
        excludedRules: null,
        customerConfig: null,
      },
      {
        ruleGroupId: 'AWS#AWSManagedRulesKnownBadInputsRuleSet',
        terminatingRule: null,
        nonTerminatingMatchingRules: roll > 0.95 ? [{ ruleId: 'Log4JRCE_HEADER', action: 'COUNT' }] : [],
        excludedRules: null,
        customerConfig: null,
      },
    ],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: clientIp(random),
      country: pick(random, ['JP', 'JP', 'JP', 'US', 'DE', 'NL', 'CN', 'BR']),
      headers: [
        { name: 'host', value: 'shop.example' },
        { name: 'user-agent', value: ua },
        { name: 'accept', value: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
        { name: 'accept-language', value: 'ja,en-US;q=0.7,en;q=0.3' },
        { name: 'accept-encoding', value: 'gzip, deflate, br' },
        { name: 'x-forwarded-for', value: '198.51.100.1' },
      ],
      uri: pick(random, PATHS),
      args: `id=${Math.floor(random() * 1e6)}`,
      httpVersion: 'HTTP/1.1',
      httpMethod: 'GET',
      requestId: `1-65ec6b13-${Math.floor(random() * 1e12).toString(16)}`,
      fragment: '',
      scheme: 'https',
      host: 'shop.example',
    },
    labels: action === 'BLOCK' ? [{ name: 'awswaf:managed:aws:core-rule-set:GenericLFI_URIPath' }] : [],
    ja3Fingerprint: 'e7d705a3286e19ea42f587b344ee6865',
  });
}

const WRITERS: Record<ImportFormat, (random: () => number, ts: number) => string> = {
  combined: combinedLine,
  alb: albLine,
  'aws-waf': wafLine,
};

/**
 * Writes a `lines`-line log of `format` to `path`, spread over one day, with a little junk (one line
 * in 1,000) so skips are exercised. Streams to disk: the generator's memory stays flat too.
 *
 * @example
 * await generateLog('alb', 1_000_000, '/tmp/alb.log');
 */
export async function generateLog(format: ImportFormat, lines: number, path: string, seed = 42): Promise<void> {
  // The demo's mulberry32: the same seed writes the same log.
  const random = createRandom(seed).next;
  const write = WRITERS[format];
  const out = createWriteStream(path);
  const step = 86_400_000 / lines;
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    chunk +=
      (i % 1000 === 999 ? write(random, DAY_START + i * step).slice(0, 40) : write(random, DAY_START + i * step)) +
      '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
