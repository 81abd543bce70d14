import { describe, expect, it } from 'vitest';
import { parseAlbLine } from './alb.js';
import { parseAwsWafLine } from './aws-waf.js';
import { parseCombinedLine } from './combined.js';
import { createParseContext, type ParseContext } from './context.js';
import type { ParseResult } from './context.js';

// Googlebot's published ranges hold 66.249.66.1; 203.0.113.9 (TEST-NET-3) is in no crawler's list.
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const REAL = '66.249.66.1';
const FAKE = '203.0.113.9';

const combined = (ip: string, ua: string) =>
  `${ip} - - [09/Mar/2026:14:02:11 +0000] "GET /products HTTP/1.1" 200 512 "-" "${ua}"`;
const alb = (ip: string, ua: string) =>
  `https 2026-03-09T14:02:11.482913Z app/shop/50dc6c495c0c9188 ${ip}:50412 10.0.1.7:8080 0.001 0.032 0.000 ` +
  `200 200 310 5120 "GET https://shop.example:443/products HTTP/1.1" "${ua}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ` +
  `arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067 "Root=1-65ec6b13-0b1c" ` +
  `"shop.example" "-" 1 2026-03-09T14:02:11.449000Z "forward" "-" "-" "10.0.1.7:8080" "200" "-" "-" TID_9f8e`;
const waf = (ip: string, ua: string, labels: Array<{ name: string }> = []) =>
  JSON.stringify({
    timestamp: 1773064931482,
    action: 'ALLOW',
    terminatingRuleId: 'Default_Action',
    terminatingRuleType: 'REGULAR',
    labels,
    httpRequest: {
      clientIp: ip,
      country: 'US',
      headers: [
        { name: 'Host', value: 'shop.example' },
        { name: 'User-Agent', value: ua },
      ],
      uri: '/products',
      args: '',
      httpMethod: 'GET',
    },
  });

function bot(result: ParseResult): { category: unknown; name: unknown } {
  if (!('event' in result)) throw new Error(`skipped: ${result.skip}`);
  return { category: result.event.botCategory, name: result.event.botName ?? null };
}

describe('imported logs check crawler claims against the published ranges', () => {
  const ctx: ParseContext = createParseContext();
  it.each([
    { format: 'combined', parse: (ip: string, ua: string) => parseCombinedLine(combined(ip, ua), ctx) },
    { format: 'ALB', parse: (ip: string, ua: string) => parseAlbLine(alb(ip, ua), ctx) },
    { format: 'AWS WAF', parse: (ip: string, ua: string) => parseAwsWafLine(waf(ip, ua), ctx) },
  ])('$format: a Googlebot claim from outside its ranges is an impersonator', ({ parse }) => {
    expect(bot(parse(FAKE, GOOGLEBOT))).toEqual({ category: 'impersonator', name: 'Googlebot' });
    expect(bot(parse(REAL, GOOGLEBOT))).toEqual({ category: 'search-engine', name: 'Googlebot' });
    // A bot that publishes no ranges, and a browser, are taken as they say.
    expect(bot(parse(FAKE, 'python-requests/2.31'))).toMatchObject({ category: 'http-client' });
    expect(bot(parse(FAKE, 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36'))).toEqual({
      category: null,
      name: null,
    });
  });

  it('keeps checking per address when the user agent is cached', () => {
    const own = createParseContext();
    expect(own.bot(GOOGLEBOT, REAL).category).toBe('search-engine');
    expect(own.bot(GOOGLEBOT, FAKE).category).toBe('impersonator');
    expect(own.bot(GOOGLEBOT, REAL).category).toBe('search-engine');
    // An IPv6 address outside Google's lists is caught the same way.
    expect(own.bot(GOOGLEBOT, '2001:db8::1').category).toBe('impersonator');
  });

  it("AWS WAF: Bot Control's own category wins over the address check", () => {
    const labels = [{ name: 'awswaf:managed:aws:bot-control:bot:category:search_engine' }];
    expect(bot(parseAwsWafLine(waf(FAKE, GOOGLEBOT, labels), ctx)).category).toBe('search-engine');
  });
});
