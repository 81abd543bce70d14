import type { DenyEntry } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import { findDenyEntry } from './drilldown.js';

const entry = (value: string): DenyEntry => ({
  id: `d_${value}`,
  value,
  reason: `because ${value}`,
  source: 'manual',
  createdAt: 0,
  expiresAt: null,
});
const entries = ['203.0.113.0/24', '203.0.113.7', '10.0.0.0/8', '10.1.0.0/16', '2001:db8::/32', '2001:db8::1'].map(
  entry,
);

describe('findDenyEntry', () => {
  it.each([
    ['an exact IPv4 entry over its /24', '203.0.113.7', '203.0.113.7'],
    ['a /24 containing the IP', '203.0.113.9', '203.0.113.0/24'],
    ['the narrowest of nested blocks', '10.1.2.3', '10.1.0.0/16'],
    ['the wider block outside the narrow one', '10.2.0.1', '10.0.0.0/8'],
    ['an IPv6 block', '2001:db8:0:1::5', '2001:db8::/32'],
    ['an exact IPv6 entry written another way', '2001:0db8::0001', '2001:db8::1'],
    ['nothing for an IP outside every entry', '198.51.100.1', null],
    ['nothing for a malformed IP', '"><script>', null],
    ['nothing across families', '::ffff:1.2.3.4', null],
  ])('finds %s', (_name, ip, expected) => {
    expect(findDenyEntry(entries, ip)?.value ?? null).toBe(expected);
  });

  it('still matches when a stored value is malformed', () => {
    expect(findDenyEntry([entry('not-an-ip'), entry('10.0.0.0/8')], '10.1.2.3')?.value).toBe('10.0.0.0/8');
  });
});
