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
    ['a blocked scanner with an ASN', { action: 'block', rule: 'bot:scanner', botCategory: 'scanner', status: 403, asn: 64_500, country: null }],
    ['a null ASN', { asn: null }],
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
    const full: WatchpostEvent = { ...base, asn: 64_500 };
    expect(Object.keys(JSON.parse(eventJson(full)) as object)).toEqual(Object.keys(eventSchema.shape));
  });

  it('writes the schema fields only, a missing nullable one as null', () => {
    const event = { ...base, extra: 'x', rule: undefined } as unknown as WatchpostEvent;
    expect(JSON.parse(eventJson(event))).toEqual({ ...base, rule: null });
  });
});
