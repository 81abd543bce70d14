import { eventSchema } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import { parseAwsWafLine } from './aws-waf.js';
import { createParseContext } from './context.js';

/** A WAF log record shaped like the documented one, with some fields overridden. */
function wafRecord(o: Record<string, unknown> = {}, request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: 1773064931482,
    formatVersion: 1,
    webaclId: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/shop-acl/1f2e3d4c-0000-4b5a-9c8d-aabbccddeeff',
    terminatingRuleId: 'Default_Action',
    terminatingRuleType: 'REGULAR',
    action: 'ALLOW',
    terminatingRuleMatchDetails: [],
    httpSourceName: 'ALB',
    httpSourceId: '111122223333-app/shop-prod/50dc6c495c0c9188',
    ruleGroupList: [],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: '198.51.100.23',
      country: 'DE',
      headers: [
        { name: 'Host', value: 'Shop.Example' },
        { name: 'user-agent', value: 'Mozilla/5.0 (Windows NT 10.0)' },
        { name: 'accept', value: '*/*' },
      ],
      uri: '/cart',
      args: 'item=42',
      httpVersion: 'HTTP/1.1',
      httpMethod: 'GET',
      requestId: '1-65ec6b13-0b1c2d3e4f5a6b7c8d9e0f1a',
      ...request,
    },
    labels: [],
    ...o,
  };
}
const line = (o?: Record<string, unknown>, r?: Record<string, unknown>): string => JSON.stringify(wafRecord(o, r));

describe('parseAwsWafLine', () => {
  it.each([
    {
      name: 'ALLOW by the default action: status unknown (0), no rule',
      line: line(),
      want: {
        ts: 1773064931482,
        ip: '198.51.100.23',
        country: 'DE',
        method: 'GET',
        host: 'shop.example',
        path: '/cart',
        status: 0,
        ua: 'Mozilla/5.0 (Windows NT 10.0)',
        action: 'allow',
        rule: null,
        latencyMs: 0,
      },
    },
    {
      name: 'BLOCK by a regular rule: 403',
      line: line({ action: 'BLOCK', terminatingRuleId: 'BlockBadIps' }),
      want: { action: 'block', rule: 'BlockBadIps', status: 403 },
    },
    {
      name: 'BLOCK by a managed rule group names the inner rule',
      line: line({
        action: 'BLOCK',
        terminatingRuleId: 'AWS-AWSManagedRulesCommonRuleSet',
        terminatingRuleType: 'MANAGED_RULE_GROUP',
        ruleGroupList: [
          {
            ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet',
            terminatingRule: { ruleId: 'SizeRestrictions_QUERYSTRING', action: 'BLOCK', ruleMatchDetails: null },
            nonTerminatingMatchingRules: [],
            excludedRules: null,
          },
        ],
      }),
      want: { action: 'block', rule: 'AWS-AWSManagedRulesCommonRuleSet:SizeRestrictions_QUERYSTRING' },
    },
    {
      name: 'BLOCK by a rate-based rule',
      line: line({
        action: 'BLOCK',
        terminatingRuleId: 'PerIpRateLimit',
        terminatingRuleType: 'RATE_BASED',
        rateBasedRuleList: [
          {
            rateBasedRuleId: 'arn:aws:wafv2:eu-west-1:111122223333:regional/ratebasedrule/PerIpRateLimit/9a8b',
            rateBasedRuleName: 'PerIpRateLimit',
            limitKey: 'IP',
            maxRateAllowed: 100,
            evaluationWindowSec: '60',
          },
        ],
      }),
      want: { action: 'block', rule: 'PerIpRateLimit', status: 403 },
    },
    {
      name: 'BLOCK with a custom response code',
      line: line({ action: 'BLOCK', terminatingRuleId: 'GeoBlock', responseCodeSent: 451 }),
      want: { action: 'block', status: 451 },
    },
    {
      name: 'CAPTCHA: a block answered 405',
      line: line({ action: 'CAPTCHA', terminatingRuleId: 'LoginCaptcha' }),
      want: { action: 'block', rule: 'LoginCaptcha', status: 405 },
    },
    {
      name: 'CHALLENGE: a block answered 202',
      line: line({ action: 'CHALLENGE', terminatingRuleId: 'SilentChallenge' }),
      want: { action: 'block', rule: 'SilentChallenge', status: 202 },
    },
    {
      name: 'ALLOW with a COUNT match at the web ACL level is a count',
      line: line({
        nonTerminatingMatchingRules: [{ ruleId: 'WatchSqlInjection', action: 'COUNT', ruleMatchDetails: [] }],
      }),
      want: { action: 'count', rule: 'WatchSqlInjection', status: 0 },
    },
    {
      name: 'ALLOW with a COUNT match inside a rule group',
      line: line({
        ruleGroupList: [
          {
            ruleGroupId: 'AWS#AWSManagedRulesKnownBadInputsRuleSet',
            terminatingRule: null,
            nonTerminatingMatchingRules: [{ ruleId: 'Log4JRCE_HEADER', action: 'COUNT', overriddenAction: 'BLOCK' }],
            excludedRules: null,
          },
        ],
      }),
      want: { action: 'count', rule: 'AWSManagedRulesKnownBadInputsRuleSet:Log4JRCE_HEADER' },
    },
    {
      name: 'excluded rule of an older record counts too',
      line: line({
        ruleGroupList: [
          {
            ruleGroupId: 'arn:aws:wafv2:eu-west-1:111122223333:regional/rulegroup/OwnRules/4c5d',
            terminatingRule: null,
            nonTerminatingMatchingRules: [],
            excludedRules: [{ exclusionType: 'EXCLUDED_AS_COUNT', ruleId: 'NoBadPaths' }],
          },
        ],
      }),
      want: { action: 'count', rule: 'OwnRules:NoBadPaths' },
    },
    {
      name: 'BLOCK wins over COUNT matches',
      line: line({
        action: 'BLOCK',
        terminatingRuleId: 'BlockBadIps',
        nonTerminatingMatchingRules: [{ ruleId: 'WatchSqlInjection', action: 'COUNT' }],
      }),
      want: { action: 'block', rule: 'BlockBadIps' },
    },
    {
      name: 'Bot Control label sets the category',
      line: line({
        labels: [
          { name: 'awswaf:clientip:geo:country:DE' },
          { name: 'awswaf:managed:aws:bot-control:bot:category:search_engine' },
        ],
      }),
      want: { botCategory: 'search-engine' },
    },
    {
      name: 'a Bot Control name label names the bot, made storable',
      line: line({
        labels: [
          { name: 'awswaf:managed:aws:bot-control:bot:category:search_engine' },
          { name: 'awswaf:managed:aws:bot-control:bot:name:bingbot\u0007<b>' },
        ],
      }),
      want: { botCategory: 'search-engine', botName: 'bingbot%07<b>' },
    },
    {
      name: 'without a name label, the user agent names the bot',
      line: line({}, { headers: [{ name: 'User-Agent', value: 'sqlmap/1.7.2#stable (https://sqlmap.org)' }] }),
      want: { botCategory: 'scanner', botName: 'sqlmap' },
    },
    {
      name: 'a Bot Control label named after an Object method is just another bot',
      line: line({ labels: [{ name: 'awswaf:managed:aws:bot-control:bot:category:constructor' }] }),
      want: { botCategory: 'other-bot' },
    },
    {
      name: 'missing or unknown country is null; IPv6 client is normalised',
      line: line({}, { country: '-', clientIp: '2001:DB8::1' }),
      want: { country: null, ip: '2001:db8::1' },
    },
    {
      name: 'no headers at all',
      line: line({}, { headers: [] }),
      want: { host: '', ua: '', botCategory: 'other-bot' },
    },
    {
      name: 'query string in the uri is stripped',
      line: line({}, { uri: '/search?q=x' }),
      want: { path: '/search' },
    },
    {
      name: 'a CloudWatch Logs export line (timestamp in front)',
      line: `2026-03-09T14:02:12.001Z ${line({ action: 'BLOCK', terminatingRuleId: 'BlockBadIps' })}`,
      want: { action: 'block', ts: 1773064931482 },
    },
    {
      name: 'CRLF and surrounding spaces are ignored',
      line: `  ${line()}\r`,
      want: { action: 'allow' },
    },
  ])('$name', ({ line: text, want }) => {
    const result = parseAwsWafLine(text);
    if (!('event' in result)) throw new Error(`skipped: ${result.skip}`);
    expect(result.event).toMatchObject({ sampleRate: 1, ...want });
    expect(eventSchema.safeParse(result.event).success).toBe(true);
  });

  it.each([
    { name: 'blank line', line: '\t', skip: 'empty' },
    { name: 'plain text', line: 'START RequestId: 1234', skip: 'not-json' },
    { name: 'text with a brace', line: 'note: {"a":1}', skip: 'not-json' },
    { name: 'cut in the middle', line: line().slice(0, 200), skip: 'truncated' },
    { name: 'broken JSON that looks complete', line: '{"timestamp": 1, oops}', skip: 'not-json' },
    { name: 'no httpRequest', line: line({ httpRequest: undefined }), skip: 'missing-field' },
    { name: 'no action', line: line({ action: undefined }), skip: 'missing-field' },
    { name: 'unknown action', line: line({ action: 'TELEPORT' }), skip: 'missing-field' },
    { name: 'action named after an Object method', line: line({ action: 'toString' }), skip: 'missing-field' },
    { name: 'action __proto__', line: line({ action: '__proto__' }), skip: 'missing-field' },
    { name: 'no client IP', line: line({}, { clientIp: undefined }), skip: 'missing-field' },
    { name: 'client IP is junk', line: line({}, { clientIp: '999.1.1.1' }), skip: 'bad-ip' },
    { name: 'timestamp is text', line: line({ timestamp: 'today' }), skip: 'bad-timestamp' },
    { name: 'a JSON array', line: '[1,2,3]', skip: 'not-json' },
    { name: 'null record', line: 'null', skip: 'not-json' },
  ])('skips $name as $skip', ({ line: text, skip }) => {
    expect(parseAwsWafLine(text)).toEqual({ skip });
  });

  it('survives damaged lists (headers, labels, rule groups that are not arrays)', () => {
    const result = parseAwsWafLine(
      line({ labels: 'x', ruleGroupList: { a: 1 }, nonTerminatingMatchingRules: 7 }, { headers: { Host: 'a' } }),
    );
    expect(result).toMatchObject({ event: { action: 'allow', host: '', rule: null } });
  });

  it('falls back to the user-agent classifier without a Bot Control label', () => {
    const ctx = createParseContext({
      classifyUserAgent: (ua) => ({ category: ua.startsWith('curl') ? 'http-client' : null }),
    });
    const result = parseAwsWafLine(line({}, { headers: [{ name: 'User-Agent', value: 'curl/8.5.0' }] }), ctx);
    expect(result).toMatchObject({ event: { botCategory: 'http-client', ua: 'curl/8.5.0' } });
  });
});

describe('parseAwsWafLine with hostile records', () => {
  const now = Date.UTC(2026, 11, 4);
  const ctx = createParseContext({ now: () => now });
  it.each([
    { name: 'timestamp 9e15 (past the largest Date)', line: line({ timestamp: 9e15 }), skip: 'bad-timestamp' },
    { name: 'timestamp just past the Date range', line: line({ timestamp: 8.64e15 + 1 }), skip: 'bad-timestamp' },
    {
      name: 'timestamp before 2000',
      line: line({ timestamp: Date.UTC(1999, 11, 31, 23, 59, 59) }),
      skip: 'bad-timestamp',
    },
    { name: 'timestamp two days ahead', line: line({ timestamp: now + 2 * 86_400_000 }), skip: 'bad-timestamp' },
    { name: 'timestamp negative', line: line({ timestamp: -1 }), skip: 'bad-timestamp' },
    { name: 'timestamp fractional', line: line({ timestamp: 1773064931482.5 }), skip: 'bad-timestamp' },
    { name: 'timestamp text 1e400', line: line({ timestamp: '1e400' }), skip: 'bad-timestamp' },
    { name: 'client IP is markup', line: line({}, { clientIp: '<script>' }), skip: 'bad-ip' },
    { name: 'client IP is a word', line: line({}, { clientIp: 'not-an-ip' }), skip: 'bad-ip' },
  ])('skips $name as $skip', ({ line: text, skip }) => {
    expect(parseAwsWafLine(text, ctx)).toEqual({ skip });
  });

  it.each([
    {
      name: 'an ASN of 1e300 is left out',
      request: { asn: 1e300 },
      want: (e: Record<string, unknown>) => expect(e).not.toHaveProperty('asn'),
    },
    {
      name: 'a negative status sent is ignored',
      record: { responseCodeSent: -5 },
      want: (e: Record<string, unknown>) => expect(e.status).toBe(0),
    },
    {
      name: 'C0, ESC, DEL, C1 and lone surrogates in the path are escaped or replaced',
      request: { uri: '/a\u0000b\u001b[31m\u007f\u0085\ud800z' },
      want: (e: Record<string, unknown>) => expect(e.path).toBe('/a%00b%1B[31m%7F%85\uFFFDz'),
    },
    {
      name: 'a 10,000-character path of emoji is cut on a code-point boundary',
      request: { uri: `/${'😀'.repeat(5000)}` },
      want: (e: Record<string, unknown>) => expect(e.path).toMatch(/^\/(😀)+$/u),
    },
    {
      name: 'a user agent of 3,000 C1 controls stays within MAX_UA_LENGTH',
      request: { headers: [{ name: 'User-Agent', value: '\u009b'.repeat(3000) }] },
      want: (e: Record<string, unknown>) => expect(e.ua).toBe('%9B'.repeat(170)),
    },
  ])('$name', ({ record = {}, request = {}, want }) => {
    const result = parseAwsWafLine(line(record, request), ctx);
    expect(result).toHaveProperty('event');
    const event = (result as { event: Record<string, unknown> }).event;
    expect(eventSchema.safeParse(event).success).toBe(true);
    want(event);
  });
});

describe('parseAwsWafLine against slow JSON', () => {
  it('skips a record nested 120,000 deep without parsing it: well under the ~100 ms JSON.parse takes', () => {
    const deep = `{"timestamp":1773064931482,"a":${'['.repeat(120_000)}${']'.repeat(120_000)}}`;
    parseAwsWafLine(deep); // warm up
    const started = performance.now();
    expect(parseAwsWafLine(deep)).toEqual({ skip: 'not-json' });
    expect(performance.now() - started).toBeLessThan(20);
  });
});
