import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchEnvelopeSchema, eventSchema, ipSchema } from './event.js';
import { MAX_EVENT_TS, MIN_EVENT_TS } from './limits.js';

const valid = {
  ts: Date.UTC(2026, 2, 1),
  ip: '203.0.113.7',
  country: 'JP',
  method: 'GET',
  host: 'shop.example',
  path: '/',
  status: 200,
  latencyMs: 12,
  ua: 'Mozilla/5.0',
  action: 'allow',
  rule: null,
  botCategory: null,
  sampleRate: 1,
};

describe('eventSchema', () => {
  it.each([
    ['ts past the largest Date (9e15)', { ts: 9e15 }],
    ['ts in 1970', { ts: 1 }],
    ['ts not an integer', { ts: 1.5e12 + 0.5 }],
    ['sampleRate 5e-324 (weight Infinity)', { sampleRate: 5e-324 }],
    ['sampleRate 0', { sampleRate: 0 }],
    ['sampleRate above 1', { sampleRate: 1.5 }],
    ['ip not an IP', { ip: 'not-an-ip' }],
    ['ip HTML', { ip: '<script>' }],
    ['ip with an octal-looking octet', { ip: '010.0.0.1' }],
    ['ip of 2 MB', { ip: '1'.repeat(2_000_000) }],
    ['latency negative', { latencyMs: -1 }],
    ['asn past the safe integers', { asn: 2 ** 53 }],
  ])('refuses %s', (_name, change) => {
    expect(eventSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it.each([
    ['IPv4-mapped IPv6', '::ffff:192.0.2.1', '192.0.2.1'],
    ['upper-case IPv6 with zeros', '2001:DB8:0:0:0:0:0:0001', '2001:db8::1'],
    ['bracketed IPv6 with a zone', '[fe80::1%eth0]', 'fe80::1'],
    ['plain IPv4', '198.51.100.9', '198.51.100.9'],
  ])('normalises %s', (_name, ip, expected) => {
    expect(eventSchema.parse({ ...valid, ip }).ip).toBe(expected);
  });

  it.each([
    ['the first ms of 2000', MIN_EVENT_TS],
    ['the largest Date', MAX_EVENT_TS],
  ])('accepts ts at %s', (_name, ts) => {
    expect(eventSchema.parse({ ...valid, ts }).ts).toBe(ts);
  });

  it('normalises any IPv4 or IPv6 to a lower-case fixed point, mapped IPv4 as IPv4', () => {
    const ip = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4().map((v4) => `::ffff:${v4}`),
    );
    fc.assert(
      fc.property(ip, (text) => {
        const once = ipSchema.parse(text);
        expect(ipSchema.parse(once)).toBe(once);
        expect(ipSchema.parse(once.toUpperCase())).toBe(once);
        expect(once).toBe(once.toLowerCase());
        expect(once.startsWith('::ffff:') && once.includes('.')).toBe(false);
      }),
    );
  });

  it('never accepts a string that is not an IP literal', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-fA-F:.[\]%]*$/.test(s) || s === ''),
        (text) => {
          expect(ipSchema.safeParse(text).success).toBe(false);
        },
      ),
    );
  });
});

describe('batchEnvelopeSchema', () => {
  it('accepts any events array under the cap and refuses one over it', () => {
    expect(batchEnvelopeSchema.safeParse({ batchId: 'abcdefgh', source: 'hono', events: [1, 'x', null] }).success).toBe(
      true,
    );
    expect(
      batchEnvelopeSchema.safeParse({ batchId: 'abcdefgh', source: 'hono', events: Array(5001).fill(0) }).success,
    ).toBe(false);
  });
});
