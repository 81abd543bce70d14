import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '../../protocol/index.js';
import { eventSchema } from '../../protocol/index.js';
import { eventJson } from './event-json.js';

const base: WatchpostEvent = {
  ts: 1_790_000_000_123,
  ip: '2001:db8::7',
  country: 'JP',
  method: 'GET',
  host: 'shop.example:8080',
  path: '/products/42',
  status: 200,
  latencyMs: 12.345,
  ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  action: 'allow',
  rule: null,
  botCategory: null,
  sampleRate: 0.1,
};

describe('eventJson', () => {
  it.each<[string, Partial<WatchpostEvent>]>([
    ['a browser request', {}],
    [
      'a blocked scanner with an ASN',
      { action: 'block', rule: 'bot:scanner', botCategory: 'scanner', status: 403, asn: 64_500, country: null },
    ],
    ['a null ASN', { asn: null }],
    [
      'a failed login',
      { status: 401, asn: 64_500, login: { outcome: 'failed', account: '0123456789abcdef0123456789abcdef' } },
    ],
    ['a login without account', { login: { outcome: 'success', account: null } }],
    ['a null login', { login: null }],
    ['a bot name', { botCategory: 'search-engine', botName: 'Googlebot' }],
    ['a hostile bot name', { botCategory: 'other-bot', botName: '<img src=x onerror=alert(1)>"\\' }],
    ['quotes and backslashes', { path: '/a"b\\c', ua: 'say "hi"\\' }],
    ['control characters', { path: '/x\u0000y\u001f\u007f', ua: 'tab\there\nnewline' }],
    ['non-ASCII text', { path: '/café/日本/\u{1F600}', ua: 'Ünïcødé \u2028 \u2029' }],
    ['lone surrogates', { path: '/\ud800x', ua: 'y\udc00' }],
    ['odd numbers', { latencyMs: 0, sampleRate: 1, ts: 1, status: 0 }],
    ['tiny and huge floats', { latencyMs: 1e-7, sampleRate: 5e-324 }],
  ])('writes what JSON.stringify writes: %s', (_name, changes) => {
    const event = { ...base, ...changes };
    expect(eventJson(event)).toBe(JSON.stringify(event));
    expect(JSON.parse(eventJson(event))).toEqual(event);
  });

  it('writes null for a number JSON cannot hold, like JSON.stringify', () => {
    const event = { ...base, latencyMs: Number.NaN, ts: Number.POSITIVE_INFINITY };
    expect(eventJson(event)).toBe(JSON.stringify(event));
    expect(eventSchema.safeParse(JSON.parse(eventJson(event))).success).toBe(false);
  });

  it('writes every field of the event schema, in its order (a field added there must be added here)', () => {
    const full: WatchpostEvent = {
      ...base,
      asn: 64_500,
      login: { outcome: 'failed', account: null },
      botName: 'Googlebot',
    };
    expect(Object.keys(JSON.parse(eventJson(full)) as object)).toEqual(Object.keys(eventSchema.shape));
  });

  it('writes the schema fields only, a missing nullable one as null', () => {
    const event = { ...base, extra: 'x', rule: undefined } as unknown as WatchpostEvent;
    expect(JSON.parse(eventJson(event))).toEqual({ ...base, rule: null });
  });
});

describe('eventJson, property: the same text as JSON.stringify for any event', () => {
  // Hostile text: any UTF-16 units (lone surrogates, controls, quotes, backslashes) and any code point.
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((codes) => String.fromCharCode(...codes)),
    fc.constantFrom('"', '\\', '\u2028', '</script>', '\ud800', '\x00', '\x85'),
  );
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(-0, 5e-324, 9e15, Number.MAX_VALUE, Number.NaN, Infinity),
  );
  const event = fc.record(
    {
      ts: number,
      ip: text,
      country: fc.option(text),
      method: text,
      host: text,
      path: text,
      status: number,
      latencyMs: number,
      ua: text,
      action: fc.constantFrom('allow', 'block', 'count'),
      rule: fc.option(text),
      botCategory: fc.constantFrom(null, 'scanner', 'ai-crawler'),
      sampleRate: number,
      asn: fc.option(number),
      botName: fc.option(text),
    },
    {
      requiredKeys: [
        'ts',
        'ip',
        'country',
        'method',
        'host',
        'path',
        'status',
        'latencyMs',
        'ua',
        'action',
        'rule',
        'botCategory',
        'sampleRate',
      ],
    },
  ) as fc.Arbitrary<WatchpostEvent>;

  it('equals JSON.stringify(event), hostile strings and odd numbers included', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(eventJson(e)).toBe(JSON.stringify(e));
      }),
      { numRuns: 2_000 },
    );
  });
});
