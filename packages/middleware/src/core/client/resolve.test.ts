import { describe, expect, it } from 'vitest';
import { formatIp, type ParsedIp } from '../ip/parse.js';
import { createClientResolver, resolveClient, type ClientResolverOptions } from './resolve.js';

const geo = (ip: ParsedIp) => (formatIp(ip).startsWith('203.0.113.') ? 'AU' : null);

function resolve(options: ClientResolverOptions, socketIp: string | undefined, headers: Record<string, string> = {}) {
  return createClientResolver(options)({ socketIp, headers: new Headers(headers) });
}

describe('createClientResolver: the IP', () => {
  it.each([
    ['socket IP without proxies', {}, '198.51.100.9', {}, '198.51.100.9'],
    ['mapped socket IP normalised', {}, '::ffff:198.51.100.9', {}, '198.51.100.9'],
    [
      'spoofed XFF without a trusted proxy is ignored',
      {},
      '198.51.100.9',
      { 'x-forwarded-for': '6.6.6.6' },
      '198.51.100.9',
    ],
    [
      'spoofed XFF from an untrusted peer is ignored',
      { trustedProxies: ['10.0.0.0/8'] },
      '198.51.100.9',
      { 'x-forwarded-for': '6.6.6.6' },
      '198.51.100.9',
    ],
    [
      'one trusted proxy: the rightmost hop',
      { trustedProxies: ['loopback'] },
      '127.0.0.1',
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' },
      '203.0.113.7',
    ],
    [
      'two trusted proxies: right to left through both',
      { trustedProxies: ['10.0.0.0/8'] },
      '10.0.0.2',
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.1' },
      '203.0.113.7',
    ],
    [
      'every hop trusted: the leftmost',
      { trustedProxies: ['private'] },
      '10.0.0.2',
      { 'x-forwarded-for': '192.168.1.5, 10.0.0.1' },
      '192.168.1.5',
    ],
    [
      'malformed hop stops the walk at the last good one',
      { trustedProxies: ['10.0.0.0/8'] },
      '10.0.0.2',
      { 'x-forwarded-for': '203.0.113.7, unknown, 10.0.0.1' },
      '10.0.0.1',
    ],
    [
      'hops with ports and IPv6',
      { trustedProxies: ['::1', '10.0.0.0/8'] },
      '::1',
      { 'x-forwarded-for': '[2001:db8::7]:5555, 10.0.0.1:80' },
      '2001:db8::7',
    ],
    ['trusted proxy without XFF: the proxy', { trustedProxies: ['loopback'] }, '127.0.0.1', {}, '127.0.0.1'],
    ['CF-Connecting-IP ignored without cdn', {}, '198.51.100.9', { 'cf-connecting-ip': '203.0.113.7' }, '198.51.100.9'],
    [
      'CF-Connecting-IP honoured with cdn cloudflare',
      { cdn: 'cloudflare' },
      '198.51.100.9',
      { 'cf-connecting-ip': '203.0.113.7' },
      '203.0.113.7',
    ],
    [
      'CF-Connecting-IPv6 wins over a pseudo IPv4',
      { cdn: 'cloudflare' },
      '198.51.100.9',
      { 'cf-connecting-ip': '240.16.0.1', 'cf-connecting-ipv6': '2001:db8::7' },
      '2001:db8::7',
    ],
    [
      'CF-Connecting-IP from an untrusted peer when proxies are listed',
      { cdn: 'cloudflare', trustedProxies: ['loopback'] },
      '198.51.100.9',
      { 'cf-connecting-ip': '203.0.113.7' },
      '198.51.100.9',
    ],
    [
      'CF-Connecting-IP through a trusted local proxy',
      { cdn: 'cloudflare', trustedProxies: ['loopback'] },
      '127.0.0.1',
      { 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '203.0.113.7, 162.158.1.1' },
      '203.0.113.7',
    ],
    [
      'CloudFront header ignored with cdn cloudflare',
      { cdn: 'cloudflare' },
      '198.51.100.9',
      { 'cloudfront-viewer-address': '203.0.113.7:1234' },
      '198.51.100.9',
    ],
    [
      'CloudFront-Viewer-Address with cdn cloudfront',
      { cdn: 'cloudfront' },
      '198.51.100.9',
      { 'cloudfront-viewer-address': '2001:db8::7:1234' },
      '2001:db8::7',
    ],
    [
      'malformed CDN header falls back to the socket',
      { cdn: 'cloudflare' },
      '198.51.100.9',
      { 'cf-connecting-ip': 'nonsense' },
      '198.51.100.9',
    ],
    ['no socket address', {}, undefined, {}, 'unknown'],
  ] as const)('%s', (_name, options, socketIp, headers, ip) => {
    expect(resolve(options as ClientResolverOptions, socketIp, headers as Record<string, string>).ip).toBe(ip);
  });

  it('stops after 32 hops of a padded header', () => {
    const padded = Array.from({ length: 100 }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`).join(', ');
    const client = resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.9.9.9', { 'x-forwarded-for': `6.6.6.6, ${padded}` });
    expect(client.ip).not.toBe('6.6.6.6');
  });
});

describe('createClientResolver: the country', () => {
  it.each([
    ['geo lookup by default', { geo }, '203.0.113.7', {}, 'AU'],
    ['no geo: null', {}, '203.0.113.7', {}, null],
    ['CF-IPCountry ignored without cdn', { geo }, '198.51.100.9', { 'cf-ipcountry': 'JP' }, null],
    ['CF-IPCountry with cdn cloudflare', { cdn: 'cloudflare', geo }, '203.0.113.7', { 'cf-ipcountry': 'jp' }, 'JP'],
    ['CF-IPCountry XX falls back to geo', { cdn: 'cloudflare', geo }, '203.0.113.7', { 'cf-ipcountry': 'XX' }, 'AU'],
    ['CF-IPCountry T1 (Tor) is unknown', { cdn: 'cloudflare' }, '198.51.100.9', { 'cf-ipcountry': 'T1' }, null],
    [
      'CloudFront country with cdn cloudfront',
      { cdn: 'cloudfront' },
      '198.51.100.9',
      { 'cloudfront-viewer-country': 'DE' },
      'DE',
    ],
    [
      'CloudFront country ignored with cloudflare',
      { cdn: 'cloudflare' },
      '198.51.100.9',
      { 'cloudfront-viewer-country': 'DE' },
      null,
    ],
    [
      'configured country header',
      { countryHeader: 'X-Client-Country' },
      '198.51.100.9',
      { 'x-client-country': 'fr' },
      'FR',
    ],
    [
      'junk in the country header',
      { countryHeader: 'x-client-country', geo },
      '203.0.113.7',
      { 'x-client-country': 'France' },
      'AU',
    ],
    [
      'country header from an untrusted peer is ignored',
      { countryHeader: 'x-client-country', trustedProxies: ['loopback'] },
      '198.51.100.9',
      { 'x-client-country': 'FR' },
      null,
    ],
    [
      'configured header wins over the CDN',
      { cdn: 'cloudflare', countryHeader: 'x-client-country' },
      '198.51.100.9',
      { 'cf-ipcountry': 'JP', 'x-client-country': 'FR' },
      'FR',
    ],
  ] as const)('%s', (_name, options, socketIp, headers, country) => {
    expect(resolve(options as ClientResolverOptions, socketIp, headers as Record<string, string>).country).toBe(
      country,
    );
  });

  it('takes the ASN from CloudFront or from a geo answer', () => {
    expect(resolve({ cdn: 'cloudfront' }, '198.51.100.9', { 'cloudfront-viewer-asn': '16509' }).asn).toBe(16509);
    const withAsn = resolve({ geo: () => ({ country: 'US', asn: 15169 }) }, '8.8.8.8');
    expect(withAsn).toMatchObject({ country: 'US', asn: 15169 });
    expect('asn' in resolve({}, '8.8.8.8')).toBe(false);
  });

  it('looks the country up for the resolved client, not the proxy', () => {
    const seen: string[] = [];
    const record = (ip: ParsedIp) => {
      seen.push(formatIp(ip));
      return 'NL';
    };
    resolve({ trustedProxies: ['loopback'], geo: record }, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' });
    expect(seen).toEqual(['203.0.113.7']);
  });
});

describe('createClientResolver: options', () => {
  it.each([
    ['a bad proxy', { trustedProxies: ['10.0.0.0/8', 'proxy.local'] }, /proxy\.local/],
    ['a string instead of a list', { trustedProxies: '10.0.0.0/8' }, /trustedProxies "10\.0\.0\.0\/8"/],
    ['an unknown CDN', { cdn: 'akamai' }, /cdn "akamai"/],
    ['a bad header name', { countryHeader: 'x country' }, /countryHeader "x country"/],
    ['geo that is not a function', { geo: 'maxmind' }, /geo "maxmind"/],
  ])('rejects %s with a TypeError naming it', (_name, options, message) => {
    expect(() => createClientResolver(options as never)).toThrow(TypeError);
    expect(() => createClientResolver(options as never)).toThrow(message);
  });

  it('resolveClient does the same in one call', () => {
    const headers = new Headers({ 'x-forwarded-for': '203.0.113.7' });
    expect(resolveClient({ socketIp: '127.0.0.1', headers, trustedProxies: ['loopback'], geo }).country).toBe('AU');
    expect(resolveClient({ socketIp: '198.51.100.9', headers }).ip).toBe('198.51.100.9');
  });
});

describe('createClientResolver: answers remembered per socket address', () => {
  function counted(options: ClientResolverOptions = {}) {
    const asked: string[] = [];
    const resolver = createClientResolver({ ...options, geo: (ip) => (asked.push(formatIp(ip)), geo(ip)) });
    return {
      asked,
      at: (socketIp: string, headers: Record<string, string> = {}) =>
        resolver({ socketIp, headers: new Headers(headers) }),
    };
  }

  it('asks geo once per address when no header can change the answer', () => {
    const { asked, at } = counted();
    expect(at('203.0.113.7')).toEqual({ ip: '203.0.113.7', parsed: expect.anything(), country: 'AU' });
    expect(at('203.0.113.7', { 'x-forwarded-for': '6.6.6.6' }).ip).toBe('203.0.113.7');
    expect(at('::ffff:203.0.113.8').ip).toBe('203.0.113.8');
    expect(asked).toEqual(['203.0.113.7', '203.0.113.8']);
  });

  it('reads the headers of every request from a trusted proxy', () => {
    const { asked, at } = counted({ trustedProxies: ['loopback'] });
    expect(at('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }).ip).toBe('203.0.113.7');
    expect(at('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }).ip).toBe('203.0.113.9');
    expect(at('127.0.0.1').ip).toBe('127.0.0.1');
    expect(asked).toEqual(['203.0.113.7', '203.0.113.9', '127.0.0.1']);
    // An untrusted peer behind the same options is remembered.
    at('198.51.100.9', { 'x-forwarded-for': '203.0.113.7' });
    expect(at('198.51.100.9').ip).toBe('198.51.100.9');
    expect(asked.filter((ip) => ip === '198.51.100.9')).toHaveLength(1);
  });

  it('reads CDN and country headers on every request when any peer is believed', () => {
    const { at } = counted({ cdn: 'cloudflare' });
    expect(at('198.51.100.9', { 'cf-connecting-ip': '203.0.113.7', 'cf-ipcountry': 'JP' })).toMatchObject({
      ip: '203.0.113.7',
      country: 'JP',
    });
    expect(at('198.51.100.9', { 'cf-connecting-ip': '203.0.113.8', 'cf-ipcountry': 'NZ' })).toMatchObject({
      ip: '203.0.113.8',
      country: 'NZ',
    });
    const byHeader = counted({ countryHeader: 'x-country' });
    expect(byHeader.at('198.51.100.9', { 'x-country': 'FR' }).country).toBe('FR');
    expect(byHeader.at('198.51.100.9', { 'x-country': 'DE' }).country).toBe('DE');
  });
});
