/**
 * Reverse-DNS verification of crawlers, the check the big operators document: the IP's PTR name
 * must end in one of the operator's domains, and that name must resolve back to the same IP. It is
 * an optional, asynchronous check for the few IPs a report lists (impersonators), never on the
 * request path: bounded concurrency, a timeout per lookup, and a bounded cache with a TTL.
 */
import { promises as dns } from 'node:dns';
import { normalizeIp } from '@watchpost/middleware';

/** What a check found: the PTR name forward-confirmed in an operator's domain, or not, or no answer. */
export interface CrawlerCheck {
  state: 'verified' | 'failed' | 'unknown';
  /** The PTR name that was checked (visible text; escape it to show it), or null. */
  host: string | null;
}

/** The lookups a check needs; `node:dns/promises` by default, a fake in tests. */
export interface DnsResolver {
  reverse(ip: string): Promise<string[]>;
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

/** Operators that document reverse-DNS verification, by a token of the user agent they send. */
export const CRAWLER_DOMAINS: ReadonlyArray<{ token: RegExp; domains: readonly string[] }> = [
  {
    token: /googlebot|google-inspectiontool|googleother|adsbot-google/i,
    domains: ['googlebot.com', 'google.com', 'googleusercontent.com'],
  },
  { token: /bingbot|bingpreview|msnbot|adidxbot/i, domains: ['search.msn.com'] },
  { token: /applebot/i, domains: ['applebot.apple.com'] },
  { token: /yandex/i, domains: ['yandex.ru', 'yandex.net', 'yandex.com'] },
  { token: /baiduspider/i, domains: ['baidu.com', 'baidu.jp'] },
  { token: /petalbot/i, domains: ['petalsearch.com'] },
];

const HOST = /^[a-z0-9.-]{1,253}$/;

export interface CrawlerVerifierOptions {
  resolver?: DnsResolver;
  /** Per lookup. Default 2 s. */
  timeoutMs?: number;
  /** Lookups at once. Default 4. */
  concurrency?: number;
  /** Cached answers, and for how long. Defaults 10,000 and 1 day. */
  maxCached?: number;
  ttlMs?: number;
  now?: () => number;
}

/**
 * Checks `ip` against the operator its user agent names; `null` when no known operator is named.
 *
 * @example
 * const verify = createCrawlerVerifier();
 * await verify('66.249.66.1', 'Googlebot/2.1'); // { state: 'verified', host: 'crawl-66-249-66-1.googlebot.com' }
 */
export type CrawlerVerifier = (ip: string, userAgent: string) => Promise<CrawlerCheck | null>;

export function createCrawlerVerifier({
  resolver = dns,
  timeoutMs = 2000,
  concurrency = 4,
  maxCached = 10_000,
  ttlMs = 86_400_000,
  now = Date.now,
}: CrawlerVerifierOptions = {}): CrawlerVerifier {
  const cache = new Map<string, { at: number; check: CrawlerCheck }>();
  let running = 0;
  const waiting: Array<() => void> = [];
  async function slot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  }
  const timed = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref?.()),
    ]);

  async function check(ip: string, domains: readonly string[]): Promise<CrawlerCheck> {
    let names: string[];
    try {
      names = await slot(() => timed(resolver.reverse(ip)));
    } catch {
      return { state: 'unknown', host: null };
    }
    const host = names
      .slice(0, 5)
      .map((name) => name.toLowerCase().replace(/\.$/, ''))
      .find((name) => HOST.test(name) && domains.some((d) => name === d || name.endsWith(`.${d}`)));
    if (!host) {
      const shown = names.find((name) => HOST.test(name.toLowerCase())) ?? null;
      return { state: 'failed', host: shown };
    }
    try {
      const forward = await slot(() => timed(ip.includes(':') ? resolver.resolve6(host) : resolver.resolve4(host)));
      return forward.slice(0, 20).some((address) => normalizeIp(address) === ip)
        ? { state: 'verified', host }
        : { state: 'failed', host };
    } catch {
      return { state: 'unknown', host };
    }
  }

  return async function verify(ip, userAgent) {
    const operator = CRAWLER_DOMAINS.find(({ token }) => token.test(userAgent.slice(0, 512)));
    const normal = normalizeIp(ip);
    if (!operator || !normal) return null;
    const key = `${normal} ${operator.domains[0]}`;
    const cached = cache.get(key);
    if (cached && cached.at > now() - ttlMs) return cached.check;
    const result = await check(normal, operator.domains);
    if (cache.size >= maxCached) cache.delete(cache.keys().next().value!);
    if (result.state !== 'unknown') cache.set(key, { at: now(), check: result });
    return result;
  };
}
