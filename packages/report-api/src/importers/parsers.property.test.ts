import { eventSchema, MAX_PATH_LENGTH, MAX_UA_LENGTH } from '@watchpost/middleware/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBatch } from '../ingest/validate.js';
import { createParseContext, type ParseResult, type SkipReason } from './context.js';
import { IMPORT_FORMATS, type ImportFormat } from './formats.js';
import { MIN_IMPORT_TS, MAX_IMPORT_FUTURE_MS } from './plausible.js';

// whatever a log line holds, a parser returns a storable event or a skip with a reason.
const NOW = Date.UTC(2026, 11, 4);
const ctx = createParseContext({ now: () => NOW, lookupCountry: () => 'NL' });
const REASONS = new Set<SkipReason>([
  'empty',
  'not-json',
  'truncated',
  'nlb-tls-entry',
  'connection-log',
  'unknown-line-type',
  'bad-timestamp',
  'missing-field',
  'bad-ip',
  'bad-status',
  'invalid-event',
  'parse-error',
  'line-too-long',
]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The property: never throws; an event passes the wire schema and ingest validation, else a known skip reason. */
function checkResult(result: ParseResult): void {
  if ('skip' in result) {
    expect([...REASONS]).toContain(result.skip);
    return;
  }
  const { event } = result;
  // Issues and details are compared to [] so that a failure says which field and why.
  expect(eventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
  const checked = validateBatch({ batchId: 'imp_property', source: 'import', events: [event] });
  expect(checked.ok ? checked.batch.events.length : checked.details).toBe(1);
  expect(event.ts).toBeGreaterThanOrEqual(MIN_IMPORT_TS);
  expect(event.ts).toBeLessThanOrEqual(NOW + MAX_IMPORT_FUTURE_MS);
  expect(ctx.normalizeIp(event.ip)).toBe(event.ip);
  expect(event.path.length).toBeLessThanOrEqual(MAX_PATH_LENGTH);
  expect(event.ua.length).toBeLessThanOrEqual(MAX_UA_LENGTH);
  for (const text of [event.method, event.host, event.path, event.ua, event.rule ?? '']) {
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toMatch(LONE_SURROGATE);
  }
}

/** Any UTF-16 unit, lone surrogates, C0/C1 controls and quotes included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const hostileChar = fc.constantFrom(
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\ud800',
  '\udfff',
  '"',
  '\\',
  ' ',
  '\n',
  '\r',
  '\u0130',
  '[',
  ']',
);
const text = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: fc.oneof(hostileChar, fc.constantFrom('a', '/', ':', '.')), maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat({ max: 6000 }).map((n) => 'İ'.repeat(n)),
);
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(9e15, 8.64e15 + 1, -1, 0, 1e300, Number.MAX_SAFE_INTEGER, 946684799999, Number.POSITIVE_INFINITY),
);
const numberText = fc.oneof(number.map(String), fc.constant('1e400'));
const ip = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('::ffff:192.0.2.1', '<script>', 'not-an-ip', '999.1.1.1', ''),
  text,
);

/** A valid line of each format, then one of its characters, numbers or fields replaced by something hostile. */
const VALID: Record<ImportFormat, string> = {
  'aws-waf': JSON.stringify({
    timestamp: Date.UTC(2026, 2, 9),
    action: 'BLOCK',
    terminatingRuleId: 'BlockScanners',
    httpRequest: {
      clientIp: '203.0.113.9',
      country: 'NL',
      headers: [
        { name: 'Host', value: 'shop.example' },
        { name: 'User-Agent', value: 'curl/8' },
      ],
      uri: '/.env',
      httpMethod: 'GET',
      asn: 64500,
    },
  }),
  alb:
    'https 2026-03-09T14:02:11.482913Z app/shop/50dc 198.51.100.23:50412 10.0.1.7:8080 0.001 0.032 0.000 200 ' +
    '200 310 5120 "GET https://shop.example:443/cart?x=1 HTTP/1.1" "Mozilla/5.0" ECDHE TLSv1.2 arn:tg "Root=1" ' +
    '"shop.example" "-" 1 2026-03-09T14:02:11.449000Z "waf,forward" "-" "-" "10.0.1.7:8080" "200" "-" "-" TID_1',
  combined: '203.0.113.9 - - [10/Oct/2026:13:55:36 +0000] "GET /a?b=1 HTTP/1.1" 404 0 "-" "curl/8.5.0"',
};

function mutated(valid: string): fc.Arbitrary<string> {
  const tokens = valid.split(/(\s+|"|,|:)/);
  return fc.oneof(
    fc.tuple(fc.nat({ max: valid.length }), text).map(([at, insert]) => valid.slice(0, at) + insert + valid.slice(at)),
    fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 30 }))
      .map(([at, cut]) => valid.slice(0, at) + valid.slice(at + cut)),
    fc
      .tuple(fc.nat({ max: tokens.length - 1 }), fc.oneof(text, numberText, ip))
      .map(([at, token]) => tokens.map((t, k) => (k === at ? token : t)).join('')),
    numberText.map((n) => valid.replace(/\d+/, n)),
  );
}

/** AWS WAF records built field by field from hostile values (JSON.stringify keeps them JSON). */
const wafRecord = fc
  .record({
    timestamp: fc.oneof(number, numberText, fc.constant(Date.UTC(2026, 2, 9))),
    action: fc.oneof(fc.constantFrom('BLOCK', 'ALLOW', 'COUNT', 'CAPTCHA', 'CHALLENGE', 'toString', '__proto__'), text),
    terminatingRuleId: fc.oneof(text, fc.constant(null)),
    responseCodeSent: fc.oneof(number, fc.constant(null)),
    clientIp: ip,
    country: fc.oneof(text, fc.constantFrom('NL', 'JP')),
    host: text,
    ua: fc.oneof(text, fc.string({ unit: anyUnit, minLength: 500, maxLength: 2000 })),
    uri: fc.oneof(text, fc.string({ unit: anyUnit, minLength: 2000, maxLength: 5000 })),
    method: fc.oneof(text, fc.constant('GET')),
    asn: fc.oneof(number, fc.anything()),
    labels: fc.anything(),
  })
  .map((r) =>
    JSON.stringify({
      timestamp: r.timestamp,
      action: r.action,
      terminatingRuleId: r.terminatingRuleId,
      responseCodeSent: r.responseCodeSent,
      labels: r.labels,
      ruleGroupList: r.labels,
      nonTerminatingMatchingRules: r.labels,
      httpRequest: {
        clientIp: r.clientIp,
        country: r.country,
        uri: r.uri,
        httpMethod: r.method,
        asn: r.asn,
        headers: [
          { name: 'Host', value: r.host },
          { name: 'User-Agent', value: r.ua },
        ],
      },
    }),
  );

const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8'));

describe.each(Object.keys(IMPORT_FORMATS) as ImportFormat[])('%s parser, for any line', (format) => {
  const parse = IMPORT_FORMATS[format];
  const run = (line: string) => checkResult(parse(line, ctx));

  it('the valid seed line gives an event', () => {
    const result = parse(VALID[format], ctx);
    expect(result).toHaveProperty('event');
    checkResult(result);
  });

  it.each([
    { name: 'random bytes', lines: bytes },
    { name: 'random text', lines: text },
    { name: 'a mutated valid line', lines: mutated(VALID[format]) },
    { name: 'an AWS WAF record of hostile fields', lines: wafRecord },
  ])('$name: never throws; a valid event or a skip with a reason', ({ lines }) => {
    fc.assert(fc.property(lines, run), { numRuns: 400 });
  });
});
