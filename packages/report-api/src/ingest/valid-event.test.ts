import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { eventSchema } from '@watchpost/middleware/protocol';
import { event } from '../../test/helpers.js';
import { parseAlbLine } from '../importers/alb.js';
import { parseAwsWafLine } from '../importers/aws-waf.js';
import { surelyValid } from './valid-event.js';

/** Canonical JSON: keys sorted, so key order does not count as a change. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** What the schema (zod, which `validateBatch` asks when `surelyValid` is unsure) says of an event. */
function full(e: unknown): 'same' | 'changed' | 'refused' {
  const parsed = eventSchema.safeParse(e);
  if (!parsed.success) return 'refused';
  return canonical(parsed.data) === canonical(e) ? 'same' : 'changed';
}

const withKey = (key: string, value: unknown) => {
  const e = event() as unknown as Record<string, unknown>;
  Object.defineProperty(e, key, { value, enumerable: true, configurable: true, writable: true });
  return e as unknown as WatchpostEvent;
};

describe('surelyValid', () => {
  it.each<[string, WatchpostEvent]>([
    ['a plain event', event()],
    ['a login attempt', event({ login: { outcome: 'failed', account: null } })],
    ['a hashed account', event({ login: { outcome: 'success', account: 'a'.repeat(32) } })],
    ['an asn', event({ asn: 16509 })],
    ['IPv6 in normal form', event({ ip: '2001:db8::1' })],
    ['the highest IPv4', event({ ip: '255.255.255.255' })],
    ['the lowest IPv4', event({ ip: '0.0.0.0' })],
    ['a sampled event', event({ sampleRate: 0.1 })],
  ])('passes %s, which the full validation stores unchanged', (_name, e) => {
    expect(surelyValid(e)).toBe(true);
    expect(full(e)).toBe('same');
  });

  it.each<[string, unknown]>([
    ['a control byte in the path', event({ path: '/a\u0000b' })],
    ['a C1 control in the UA', event({ ua: 'x\u0085y' })],
    ['a lone surrogate in the host', event({ host: 'a\ud800' })],
    ['status 1000', event({ status: 1000 })],
    ['status 2.5', event({ status: 2.5 })],
    ['NaN latency', event({ latencyMs: Number.NaN })],
    ['Infinity latency', event({ latencyMs: Number.POSITIVE_INFINITY })],
    ['a huge ts', event({ ts: Number.MAX_SAFE_INTEGER })],
    ['a ts before 2000', event({ ts: 0 })],
    ['an empty method', event({ method: '' })],
    ['a 17-character method', event({ method: 'A'.repeat(17) })],
    ['a lower-case country', event({ country: 'jp' })],
    ['an unknown bot category', event({ botCategory: 'toString' as never })],
    ['an unknown action', event({ action: 'constructor' as never })],
    ['sample rate 0', event({ sampleRate: 0 })],
    ['a negative asn', event({ asn: -1 })],
    ['a bad account', event({ login: { outcome: 'failed', account: 'ZZ' } })],
    ['an unknown outcome', event({ login: { outcome: '__proto__' as never, account: null } })],
    ['an IPv4-mapped IPv6', event({ ip: '::ffff:192.0.2.1' })],
    ['IPv4 with a leading zero', event({ ip: '192.0.2.01' })],
    ['IPv4 octet 256', event({ ip: '192.0.2.256' })],
    ['IPv4 with a trailing newline', event({ ip: '192.0.2.1\n' })],
    ['an upper-case IPv6', event({ ip: '2001:DB8::1' })],
    ['not an IP', event({ ip: 'localhost' })],
    ['an extra key', { ...event(), extra: 1 }],
    ['an own __proto__ key', withKey('__proto__', { polluted: true })],
    ['an own constructor key', withKey('constructor', 'x')],
    ['a 10k-character path', event({ path: '/' + 'a'.repeat(10_000) })],
    ['a null prototype', Object.assign(Object.create(null) as object, event())],
    ['not an object', 'event'],
  ])('leaves %s to the full validation', (_name, e) => {
    expect(surelyValid(e as WatchpostEvent)).toBe(false);
  });

  it('passes every event the parsers make of the ALB and WAF fixtures, and the full validation agrees', () => {
    const lines = (name: string) =>
      readFileSync(new URL(`../importers/fixtures/${name}`, import.meta.url), 'utf8')
        .trim()
        .split('\n');
    const events = [
      ...lines('alb-logins.log').map((l) => parseAlbLine(l)),
      ...lines('aws-waf-logins.log').map((l) => parseAwsWafLine(l)),
    ].flatMap((r) => ('event' in r ? [r.event] : []));
    expect(events).toHaveLength(31);
    for (const e of events) {
      expect(surelyValid(e)).toBe(true);
      expect(full(e)).toBe('same');
    }
  });
});
