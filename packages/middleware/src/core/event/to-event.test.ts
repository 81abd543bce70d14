import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchema, MAX_EVENT_TS, MIN_EVENT_TS } from '../../protocol/index.js';
import type { Decision, RequestFacts } from '../engine-options.js';
import { toEvent } from './to-event.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const allow: Decision = { action: 'allow', rule: null, botCategory: null };
const NOW = Date.UTC(2026, 11, 4);

function facts(overrides: Partial<RequestFacts>): RequestFacts {
  return {
    ip: '203.0.113.7',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    ua: 'Mozilla/5.0',
    country: 'JP',
    ...overrides,
  };
}

/** Every text field free of controls and lone surrogates: what the report API's schema demands. */
function textIsClean(event: Record<string, unknown>): boolean {
  return ['ip', 'method', 'host', 'path', 'ua', 'rule'].every((field) => {
    const value = event[field];
    return value === null || (typeof value === 'string' && !CONTROL.test(value) && !LONE_SURROGATE.test(value));
  });
}

describe('toEvent on hostile requests', () => {
  it.each<[string, Partial<RequestFacts>, Record<string, unknown>]>([
    ['C1 byte in the user agent', { ua: 'curl/8\x85' }, { ua: 'curl/8\uFFFD' }],
    ['NUL and ESC in the path', { path: '/a\x00\x1b[2J?x=\x00' }, { path: '/a\uFFFD\uFFFD[2J' }],
    ['lone surrogate in the host', { host: 'h\ud800.example' }, { host: 'h\uFFFD.example' }],
    ['path of 5000 emoji cut on a pair boundary', { path: '/' + '😀'.repeat(5000) }, { path: '/' + '😀'.repeat(1023) }],
    ['method with a space', { method: 'GET /x' }, { method: 'INVALID' }],
    ['empty method', { method: '' }, { method: 'GET' }],
    ['not an IP', { ip: '<script>' }, { ip: '0.0.0.0' }],
    ['IPv4-mapped IPv6 normalised', { ip: '::FFFF:192.0.2.1' }, { ip: '192.0.2.1' }],
    ['negative ASN', { asn: -1 }, { asn: null }],
  ])('%s', (_name, overrides, expected) => {
    const event = toEvent(facts(overrides), allow, 200, 1, 1, NOW);
    expect(event).toMatchObject(expected);
    expect(eventSchema.safeParse(event).success).toBe(true);
    expect(textIsClean(event)).toBe(true);
  });

  it.each([
    ['a clock at 9e15 (past the largest Date)', 9e15, 1, MAX_EVENT_TS],
    ['a clock at 0', 0, 1, MIN_EVENT_TS],
    ['a NaN clock', Number.NaN, 1, MIN_EVENT_TS],
  ])('clamps ts for %s', (_name, at, rate, expected) => {
    const event = toEvent(facts({}), allow, 200, 0, rate, at);
    expect(event.ts).toBe(expected);
    expect(new Date(event.ts).getTime()).toBe(expected);
  });

  it.each([
    ['5e-324', 5e-324, 1e-6],
    ['NaN', Number.NaN, 1],
    ['2', 2, 1],
    ['0.1', 0.1, 0.1],
  ])('clamps sampleRate %s into [1e-6, 1]', (_name, rate, expected) => {
    expect(toEvent(facts({}), allow, 200, 0, rate, NOW).sampleRate).toBe(expected);
  });

  it.each([
    [-5, 0],
    [Infinity, 0],
    [1e12, 86_400_000],
  ])('clamps latency %d to %d', (latency, expected) => {
    expect(toEvent(facts({}), allow, 200, latency, 1, NOW).latencyMs).toBe(expected);
  });
});

describe('toEvent, property: whatever a client sends, the event is valid', () => {
  // Any UTF-16 unit sequence, lone surrogates and controls included, and any code point.
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 600 }),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 3000 }).map((codes) => String.fromCharCode(...codes)),
  );
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 5e-324, 9e15, 8.64e15 + 1, Number.MAX_VALUE),
  );

  it('passes eventSchema and carries no control character or lone surrogate', () => {
    fc.assert(
      fc.property(
        fc.record({
          ip: hostile,
          method: hostile,
          host: hostile,
          path: hostile,
          ua: hostile,
          rule: fc.option(hostile),
        }),
        fc.record({ status: number, latency: number, rate: number, at: number, asn: fc.option(number) }),
        (text, n) => {
          const decision: Decision = { action: 'count', rule: text.rule, botCategory: null };
          const event = toEvent(facts({ ...text, asn: n.asn }), decision, n.status, n.latency, n.rate, n.at);
          expect(eventSchema.safeParse(event).error).toBeUndefined();
          expect(textIsClean(event)).toBe(true);
          expect(event.ts).toBeGreaterThanOrEqual(MIN_EVENT_TS);
          expect(event.sampleRate).toBeGreaterThanOrEqual(1e-6);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('toEvent ip, property: always the text ipaddr-checked normalizeIp gives', () => {
  it('equals normalizeIp(ip) for any dotted or IPv6 text, 0.0.0.0 for anything else', async () => {
    const { normalizeIp } = await import('../ip/parse.js');
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    const text = fc.oneof(v4, fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.[]%'), maxLength: 45 }));
    fc.assert(
      fc.property(text, (ip) => {
        expect(toEvent(facts({ ip }), allow, 200, 0, 1, NOW).ip).toBe(normalizeIp(ip) ?? '0.0.0.0');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('toEvent login', () => {
  const hash = '0123456789abcdef0123456789abcdef';
  it('carries the outcome and a hashed account, valid against eventSchema', () => {
    const event = toEvent(facts({}), allow, 401, 0, 1, NOW, { outcome: 'failed', account: hash });
    expect(event.login).toEqual({ outcome: 'failed', account: hash });
    expect(eventSchema.parse(event).login).toEqual({ outcome: 'failed', account: hash });
  });
  it.each(['alice@example.com', hash.toUpperCase(), `${hash}0`, '<script>', 'a\u0000b'])(
    'never lets a clear or malformed account through: %s',
    (account) => {
      const event = toEvent(facts({}), allow, 200, 0, 1, NOW, { outcome: 'success', account });
      expect(event.login).toEqual({ outcome: 'success', account: null });
      expect(JSON.stringify(event)).not.toContain(account);
    },
  );
  it('leaves login out when there is none', () => {
    expect('login' in toEvent(facts({}), allow, 200, 0, 1, NOW)).toBe(false);
    expect('login' in toEvent(facts({}), allow, 200, 0, 1, NOW, null)).toBe(false);
  });
  it('eventSchema refuses an account that is not 32 lower-case hex chars', () => {
    const event = toEvent(facts({}), allow, 200, 0, 1, NOW);
    expect(eventSchema.safeParse({ ...event, login: { outcome: 'failed', account: 'bob' } }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, login: { outcome: 'maybe', account: null } }).success).toBe(false);
  });
});
