import { describe, expect, it } from 'vitest';
import { requestFacts } from './request-facts.js';

function request(headers: Record<string, string> = {}, url = 'https://shop.example:8443/a/b?q=1'): Request {
  return new Request(url, { method: 'POST', headers });
}

describe('requestFacts', () => {
  it('reads the client IP from CF-Connecting-IP and the rest from the request', () => {
    const facts = requestFacts(
      request({ 'cf-connecting-ip': ' 203.0.113.7 ', 'user-agent': 'Mozilla/5.0' }),
      undefined,
    );
    expect(facts).toEqual({
      ip: '203.0.113.7',
      method: 'POST',
      host: 'shop.example:8443',
      path: '/a/b',
      ua: 'Mozilla/5.0',
      country: null,
      asn: null,
    });
  });

  it.each([
    ['IPv4-mapped IPv6', '::ffff:198.51.100.4', '198.51.100.4'],
    ['IPv6 in long form', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['not an IP, kept as sent', 'garbage', 'garbage'],
  ])('normalises the client IP: %s', (_name, header, ip) => {
    expect(requestFacts(request({ 'cf-connecting-ip': header }), undefined).ip).toBe(ip);
  });

  it('has an empty IP and UA when the headers are missing', () => {
    expect(requestFacts(request(), undefined)).toMatchObject({ ip: '', ua: '' });
  });

  it.each([
    ['country and ASN', { country: 'jp', asn: 2516 }, { country: 'JP', asn: 2516 }],
    ['unknown country XX', { country: 'XX' }, { country: null }],
    ['Tor T1', { country: 'T1' }, { country: null }],
    ['user-assigned ZZ', { country: 'ZZ' }, { country: null }],
    ['junk country', { country: 'Japan', asn: -1 }, { country: null, asn: null }],
    ['ASN as text', { asn: '2516' }, { asn: null }],
  ])('%s from request.cf', (_name, cf, expected) => {
    expect(requestFacts(request(), cf)).toMatchObject(expected);
  });

  it.each([
    ['Bot Management verified bot', { botManagement: { verifiedBot: true } }, true],
    ['verified bot category', { verifiedBotCategory: 'Search Engine Crawler' }, true],
    ['not verified', { botManagement: { verifiedBot: false }, verifiedBotCategory: '' }, undefined],
    ['no cf at all', undefined, undefined],
  ])('%s', (_name, cf, verified) => {
    expect(requestFacts(request(), cf).verifiedBot).toBe(verified);
  });
});
