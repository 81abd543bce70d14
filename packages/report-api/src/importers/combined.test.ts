import { eventSchema, MAX_UA_LENGTH } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import { parseCombinedLine } from './combined.js';
import { createParseContext } from './context.js';

const T = '[09/Mar/2026:14:02:11 +0900]';
const TS = Date.parse('2026-03-09T14:02:11+09:00');

describe('parseCombinedLine', () => {
  it.each([
    {
      name: 'combined with query string stripped',
      line:
        `198.51.100.23 - - ${T} "GET /cart?item=42&x=1 HTTP/1.1" 200 5120 "https://shop.example/" ` +
        `"Mozilla/5.0 (X11; Linux x86_64)"`,
      want: {
        ip: '198.51.100.23',
        ts: TS,
        method: 'GET',
        path: '/cart',
        status: 200,
        ua: 'Mozilla/5.0 (X11; Linux x86_64)',
        host: '',
      },
    },
    {
      name: 'a real browser UA is not a bot; Googlebot is a search engine',
      line:
        `66.249.66.24 - - ${T} "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; ` +
        `+http://www.google.com/bot.html)"`,
      want: { botCategory: 'search-engine' },
    },
    {
      name: 'common format (no referer, no UA)',
      line: `203.0.113.5 - alice ${T} "POST /login HTTP/1.0" 302 -`,
      want: { ip: '203.0.113.5', method: 'POST', path: '/login', status: 302, ua: '' },
    },
    {
      name: 'IPv6 client, UTC offset west',
      line: `2001:DB8::7 - - [09/Mar/2026:01:00:00 -0500] "HEAD / HTTP/2.0" 204 0 "-" "-"`,
      want: { ip: '2001:db8::7', ts: Date.parse('2026-03-09T06:00:00Z'), method: 'HEAD', status: 204, ua: '' },
    },
    {
      name: 'IPv4-mapped IPv6 becomes IPv4',
      line: `::ffff:192.0.2.9 - - ${T} "GET /a HTTP/1.1" 404 12 "-" "curl/8.5.0"`,
      want: { ip: '192.0.2.9', status: 404, ua: 'curl/8.5.0', botCategory: 'http-client' },
    },
    {
      name: 'escaped quotes inside the UA and request (Apache style)',
      line: `192.0.2.10 - - ${T} "GET /q\\"x HTTP/1.1" 400 0 "-" "evil \\"quoted\\" agent"`,
      want: { path: '/q"x', status: 400, ua: 'evil "quoted" agent' },
    },
    {
      name: 'nginx \\x22 escapes',
      line: `192.0.2.11 - - ${T} "GET / HTTP/1.1" 200 1 "-" "a\\x22b"`,
      want: { ua: 'a"b' },
    },
    {
      name: 'garbage request line (TLS on the plain port) is still a request',
      line: `192.0.2.12 - - ${T} "\\x16\\x03\\x01\\x00" 400 157 "-" "-"`,
      want: { method: '-', path: '-', status: 400 },
    },
    {
      name: 'empty request "-"',
      line: `192.0.2.13 - - ${T} "-" 408 0 "-" "-"`,
      want: { method: '-', path: '-', status: 408 },
    },
    {
      name: 'nginx 499 (client closed) becomes 0',
      line: `192.0.2.14 - - ${T} "GET /slow HTTP/1.1" 499 0 "-" "Mozilla/5.0"`,
      want: { status: 0 },
    },
    {
      name: 'absolute-form target (proxy request)',
      line: `192.0.2.15 - - ${T} "GET http://Other.Example:8080/p?q=1 HTTP/1.1" 403 0 "-" "-"`,
      want: { host: 'other.example', path: '/p' },
    },
    {
      name: 'vhost_combined takes the host from %v',
      line: `shop.example:443 192.0.2.16 - - ${T} "GET /x HTTP/1.1" 200 3 "-" "-"`,
      want: { ip: '192.0.2.16', host: 'shop.example', path: '/x' },
    },
  ])('$name', ({ line, want }) => {
    const result = parseCombinedLine(line);
    if (!('event' in result)) throw new Error(`skipped: ${result.skip}`);
    expect(result.event).toMatchObject({
      action: 'allow',
      rule: null,
      sampleRate: 1,
      latencyMs: 0,
      country: null,
      ...want,
    });
    expect(eventSchema.safeParse(result.event).success).toBe(true);
  });

  it.each([
    { name: 'blank line', line: '   ', skip: 'empty' },
    { name: 'cut after the time', line: `192.0.2.1 - - ${T} "GET /cart HT`, skip: 'truncated' },
    { name: 'cut inside the time', line: '192.0.2.1 - - [09/Mar/2026:14:0', skip: 'truncated' },
    { name: 'cut before the time', line: '192.0.2.1 - -', skip: 'truncated' },
    { name: 'not a log line', line: 'hello world', skip: 'unknown-line-type' },
    { name: 'host is not an IP', line: `example.com - - ${T} "GET / HTTP/1.1" 200 1`, skip: 'bad-ip' },
    {
      name: 'bad month',
      line: `192.0.2.1 - - [09/Foo/2026:14:02:11 +0000] "GET / HTTP/1.1" 200 1`,
      skip: 'bad-timestamp',
    },
    { name: 'status is not a number', line: `192.0.2.1 - - ${T} "GET / HTTP/1.1" OK 1`, skip: 'bad-status' },
    { name: 'missing status', line: `192.0.2.1 - - ${T} "GET / HTTP/1.1"`, skip: 'truncated' },
    { name: 'JSON line', line: '{"timestamp":1,"action":"ALLOW"}', skip: 'unknown-line-type' },
  ])('skips $name as $skip', ({ line, skip }) => {
    expect(parseCombinedLine(line)).toEqual({ skip });
  });

  it('truncates long paths and user agents to the protocol limits', () => {
    const ua = 'x'.repeat(MAX_UA_LENGTH + 100);
    const path = `/${'p'.repeat(3000)}`;
    const result = parseCombinedLine(`192.0.2.1 - - ${T} "GET ${path} HTTP/1.1" 200 1 "-" "${ua}"`);
    if (!('event' in result)) throw new Error('skipped');
    expect(result.event.ua).toHaveLength(MAX_UA_LENGTH);
    expect(eventSchema.safeParse(result.event).success).toBe(true);
  });

  it('uses the context for the bot category and the country', () => {
    const ctx = createParseContext({
      classifyUserAgent: (ua) => ({ category: ua.includes('Googlebot') ? 'search-engine' : null }),
      lookupCountry: (ip) => (ip.startsWith('192.0.2.') ? 'JP' : null),
    });
    const result = parseCombinedLine(`192.0.2.1 - - ${T} "GET / HTTP/1.1" 200 1 "-" "Googlebot/2.1"`, ctx);
    expect(result).toMatchObject({ event: { botCategory: 'search-engine', country: 'JP' } });
  });
});

describe('parseCombinedLine with hostile lines', () => {
  const now = Date.UTC(2026, 11, 4);
  const ctx = createParseContext({ now: () => now });
  const at = (time: string, ip = '192.0.2.1', request = 'GET / HTTP/1.1', ua = 'curl/8') =>
    `${ip} - - [${time}] "${request}" 200 1 "-" "${ua}"`;
  it.each([
    { name: 'year 1999', line: at('31/Dec/1999:23:59:59 +0000'), skip: 'bad-timestamp' },
    { name: 'year 9999', line: at('01/Jan/9999:00:00:00 +0000'), skip: 'bad-timestamp' },
    { name: 'two days ahead', line: at('06/Dec/2026:00:00:00 +0000'), skip: 'bad-timestamp' },
    { name: 'client is markup', line: at('09/Mar/2026:14:02:11 +0000', '<b>x</b>'), skip: 'bad-ip' },
    {
      name: 'client is a Markdown link',
      line: at('09/Mar/2026:14:02:11 +0000', '[a](https://evil.example)'),
      skip: 'bad-ip',
    },
  ])('skips $name as $skip', ({ line, skip }) => {
    expect(parseCombinedLine(line, ctx)).toEqual({ skip });
  });

  it.each([
    {
      name: 'C0, C1 and a lone surrogate in the path',
      line: at('09/Mar/2026:14:02:11 +0000', '192.0.2.1', 'GET /a\u0001\u0085\udc00 HTTP/1.1'),
      want: { path: '/a%01%85\uFFFD' },
    },
    {
      name: 'a 5,000-character path is cut to MAX_PATH_LENGTH',
      line: at('09/Mar/2026:14:02:11 +0000', '192.0.2.1', `GET /${'p'.repeat(5000)} HTTP/1.1`),
      want: { path: `/${'p'.repeat(2047)}` },
    },
    {
      name: 'a user agent of DEL is escaped and cut',
      line: at('09/Mar/2026:14:02:11 +0000', '192.0.2.1', 'GET / HTTP/1.1', '\u007f'.repeat(600)),
      want: { ua: '%7F'.repeat(170) },
    },
  ])('$name', ({ line, want }) => {
    const result = parseCombinedLine(line, ctx);
    expect(result).toMatchObject({ event: want });
    expect(eventSchema.safeParse((result as { event: unknown }).event).success).toBe(true);
  });
});
