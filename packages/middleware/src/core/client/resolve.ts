import { RecentCache } from '../recent-cache.js';
import { normalizeCountry } from '../geo/country.js';
import { createIpMatcher, type IpMatcher } from '../ip/matcher.js';
import { formatIp, type ParsedIp } from '../ip/parse.js';
import { parseHop } from './hop.js';

/** CDNs whose client headers can be honoured. */
export type Cdn = 'cloudflare' | 'cloudfront';

/** The one method of `Headers` the resolver needs; names are asked for in lower case. */
export interface HeadersLike {
  get(name: string): string | null | undefined;
}

/** What a GeoIP lookup may return: a country code, or a country and an AS number. */
export type GeoAnswer = string | null | { readonly country: string | null; readonly asn?: number | null };

/** Options of `createClientResolver`; compiled once. */
export interface ClientResolverOptions {
  /**
   * Peers whose `X-Forwarded-For` (and CDN and country headers) are believed: IPs, CIDRs, or
   * the words `loopback`, `private` (RFC 1918, RFC 6598, fc00::/7) and `linklocal`. Default none.
   */
  trustedProxies?: Iterable<string>;
  /** The CDN in front of the app; only then are its headers read. Default none. */
  cdn?: Cdn | null;
  /** A header that your own load balancer sets to the client's country code. */
  countryHeader?: string | null;
  /** Country (and ASN) for an address when no header gave one, e.g. `loadGeoLookup()`. */
  geo?: ((ip: ParsedIp) => GeoAnswer) | null;
}

/** The request facts the resolver reads. */
export interface ClientRequest {
  /** The peer address of the TCP connection (`req.socket.remoteAddress`). */
  socketIp: string | null | undefined;
  headers: HeadersLike;
}

/** Who the client is. */
export interface ResolvedClient {
  /** Canonical client IP (IPv4-mapped IPv6 as IPv4), or `unknown` when no address parsed. */
  readonly ip: string;
  /** The same address parsed, for matchers and lookups; null when `ip` is `unknown`. */
  readonly parsed: ParsedIp | null;
  /** ISO 3166-1 alpha-2 in upper case, or null when unknown. */
  readonly country: string | null;
  readonly asn?: number;
}

const PRESETS: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

interface CdnHeaders {
  /** Headers holding the client IP, most specific first. */
  ip: readonly string[];
  country: string;
  asn: string | null;
  portWithoutBrackets: boolean;
}

const CDN_HEADERS: Record<Cdn, CdnHeaders> = {
  // With Pseudo IPv4 in "overwrite" mode, CF-Connecting-IP holds a stand-in from 240.0.0.0/4
  // and CF-Connecting-IPv6 the real address.
  cloudflare: {
    ip: ['cf-connecting-ipv6', 'cf-connecting-ip'],
    country: 'cf-ipcountry',
    asn: null,
    portWithoutBrackets: false,
  },
  cloudfront: {
    ip: ['cloudfront-viewer-address'],
    country: 'cloudfront-viewer-country',
    asn: 'cloudfront-viewer-asn',
    portWithoutBrackets: true,
  },
};

/** Most `X-Forwarded-For` hops walked; a longer chain is a client padding the header. */
const MAX_HOPS = 32;
/** Socket addresses whose resolved client is remembered (see `createClientResolver`). */
const SOCKET_CACHE_SIZE = 4096;

/**
 * Compiles the rules for finding the real client behind proxies and CDNs, once, into a
 * function for each request:
 *
 * 1. The socket address, unless it is a trusted proxy: then `X-Forwarded-For` is read right to
 *    left, each hop believed only while the one after it was a trusted proxy. A client that
 *    sends its own `X-Forwarded-For` to an app without trusted proxies cannot change its IP.
 * 2. With `cdn`, the CDN's client-IP header (`CF-Connecting-IP`, `CloudFront-Viewer-Address`)
 *    wins. Headers set by infrastructure are read only when the socket peer is a trusted proxy,
 *    or when no trusted proxies are configured (then the origin must accept only CDN traffic).
 * 3. Country from `countryHeader`, else the CDN's country header, else `geo`. `XX`, `T1` and
 *    junk count as unknown.
 *
 * When no header can change the answer for a peer (no CDN and no country header, and the peer
 * is not a trusted proxy), the answer depends on the socket address alone: it is remembered for
 * the last 4,096 addresses, so a keep-alive connection or a returning client skips parsing and
 * the GeoIP lookup (`geo` is then asked once per address while it stays cached). Those answers
 * are shared by the requests of one address: read them, never change them (their types are readonly).
 *
 * Invalid options throw a `TypeError` that names the bad value.
 *
 * @example
 * const resolveClient = createClientResolver({ trustedProxies: ['loopback'], cdn: 'cloudflare' });
 * resolveClient({ socketIp: '::ffff:127.0.0.1', headers: new Headers({ 'cf-connecting-ip': '203.0.113.7',
 *   'cf-ipcountry': 'JP' }) });
 * // { ip: '203.0.113.7', parsed: {...}, country: 'JP' }
 */
export function createClientResolver({
  trustedProxies = [],
  cdn = null,
  countryHeader = null,
  geo = null,
}: ClientResolverOptions = {}): (request: ClientRequest) => ResolvedClient {
  const trusted = compileTrustedProxies(trustedProxies);
  if (cdn !== null && cdn !== undefined && !Object.hasOwn(CDN_HEADERS, cdn)) {
    throw new TypeError(`createClientResolver: cdn ${JSON.stringify(cdn)} is not 'cloudflare' or 'cloudfront'`);
  }
  if (countryHeader !== null && countryHeader !== undefined) {
    if (typeof countryHeader !== 'string' || !/^[A-Za-z0-9-]+$/.test(countryHeader)) {
      throw new TypeError(`createClientResolver: countryHeader ${JSON.stringify(countryHeader)} is not a header name`);
    }
  }
  if (geo !== null && geo !== undefined && typeof geo !== 'function') {
    throw new TypeError(`createClientResolver: geo ${JSON.stringify(geo)} is not a function`);
  }
  const cdnHeaders = cdn ? CDN_HEADERS[cdn] : null;
  const countryHeaderName = countryHeader ? countryHeader.toLowerCase() : null;
  const trustEveryPeer = trusted === null;
  const headersMatter = cdnHeaders !== null || countryHeaderName !== null;
  const bySocket = new RecentCache<string, ResolvedClient>(SOCKET_CACHE_SIZE);

  return function resolveClient({ socketIp, headers }: ClientRequest): ResolvedClient {
    if (typeof socketIp === 'string' && !(trustEveryPeer && headersMatter)) {
      const known = bySocket.get(socketIp);
      if (known !== undefined) return known;
    }
    const socket = typeof socketIp === 'string' ? parseHop(socketIp) : null;
    const peerTrusted = socket !== null && trusted !== null && trusted.match(socket) !== null;
    const infrastructure = trustEveryPeer || peerTrusted;
    let client = socket;
    if (peerTrusted) client = walkForwardedFor(headers.get('x-forwarded-for'), socket, trusted);
    let country: string | null = null;
    let asn: number | undefined;
    if (infrastructure && cdnHeaders !== null) {
      for (const name of cdnHeaders.ip) {
        const cdnIp = parseHop(headers.get(name), { portWithoutBrackets: cdnHeaders.portWithoutBrackets });
        if (cdnIp !== null) {
          client = cdnIp;
          break;
        }
      }
      country = normalizeCountry(headers.get(cdnHeaders.country));
      if (cdnHeaders.asn !== null) asn = parseAsn(headers.get(cdnHeaders.asn));
    }
    if (infrastructure && countryHeaderName !== null) {
      country = normalizeCountry(headers.get(countryHeaderName)) ?? country;
    }
    if (client !== null && geo && country === null) {
      const answer = geo(client);
      if (typeof answer === 'string') country ??= normalizeCountry(answer);
      else if (answer !== null && typeof answer === 'object') {
        country ??= normalizeCountry(answer.country);
        if (asn === undefined && Number.isInteger(answer.asn) && (answer.asn as number) >= 0)
          asn = answer.asn as number;
      }
    }
    const ip = client === null ? 'unknown' : formatIp(client);
    const resolved: ResolvedClient =
      asn === undefined ? { ip, parsed: client, country } : { ip, parsed: client, country, asn };
    // Headers played no part (see above): the next request from this address gets the same answer.
    if (typeof socketIp === 'string' && !peerTrusted && !(infrastructure && headersMatter))
      bySocket.set(socketIp, resolved);
    return resolved;
  };
}

/**
 * Walks `X-Forwarded-For` from the right: each hop is the peer of the one after it, so it is
 * believed only while that one is a trusted proxy. Stops at the first untrusted hop (the
 * client) or at a malformed one (then the last good hop is the best we know).
 */
function walkForwardedFor(header: string | null | undefined, socket: ParsedIp, trusted: IpMatcher): ParsedIp {
  if (typeof header !== 'string' || header.length === 0) return socket;
  const hops = header.split(',');
  let client = socket;
  for (let i = hops.length - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
    const hop = parseHop(hops[i]);
    if (hop === null) return client;
    client = hop;
    if (trusted.match(hop) === null) return client;
  }
  return client;
}

function parseAsn(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value.trim())) return undefined;
  const asn = Number(value.trim());
  return asn <= 0xffffffff ? asn : undefined;
}

function compileTrustedProxies(entries: Iterable<string>): IpMatcher | null {
  if (
    entries === null ||
    typeof (entries as Iterable<string>)[Symbol.iterator] !== 'function' ||
    typeof entries === 'string'
  ) {
    throw new TypeError(
      `createClientResolver: trustedProxies ${JSON.stringify(entries)} is not a list of IPs or CIDRs`,
    );
  }
  const blocks: string[] = [];
  for (const entry of entries) {
    const preset = typeof entry === 'string' ? PRESETS[entry.toLowerCase()] : undefined;
    if (preset) blocks.push(...preset);
    else blocks.push(entry);
  }
  if (blocks.length === 0) return null;
  try {
    return createIpMatcher(blocks);
  } catch (error) {
    throw new TypeError(
      `createClientResolver: trustedProxies: ${(error as Error).message.replace(/^createIpMatcher: /, '')}`,
      { cause: error },
    );
  }
}

/**
 * Resolves one request without keeping the compiled options: handy in scripts and tests.
 * In a server, call `createClientResolver` once and reuse its function.
 *
 * @example
 * resolveClient({ socketIp: '198.51.100.9', headers: new Headers({ 'x-forwarded-for': '6.6.6.6' }) });
 * // { ip: '198.51.100.9', ... }: no trusted proxy, so the header is ignored
 */
export function resolveClient(request: ClientRequest & ClientResolverOptions): ResolvedClient {
  return createClientResolver(request)(request);
}
