import { describe, expect, it } from 'vitest';
import { createCrawlerVerifier, type DnsResolver } from './reverse-dns.js';

/** A DNS of fixed answers; a name mapped to 'hang' never answers. */
function fakeDns(ptr: Record<string, string[] | 'hang'>, forward: Record<string, string[]>) {
  const calls: string[] = [];
  const answer = <T>(value: T | 'hang' | undefined): Promise<T> =>
    value === 'hang'
      ? new Promise(() => undefined)
      : value === undefined
        ? Promise.reject(new Error('ENOTFOUND'))
        : Promise.resolve(value);
  const resolver: DnsResolver = {
    reverse: (ip) => (calls.push(`ptr ${ip}`), answer(ptr[ip])),
    resolve4: (host) => (calls.push(`a ${host}`), answer(forward[host])),
    resolve6: (host) => (calls.push(`aaaa ${host}`), answer(forward[host])),
  };
  return { resolver, calls };
}

describe('reverse-DNS crawler verification', () => {
  it('verifies a PTR in the operator’s domain that resolves back to the same IP', async () => {
    const { resolver } = fakeDns(
      { '66.249.66.1': ['crawl-66-249-66-1.googlebot.com.'], '2001:db8::1': ['x.search.msn.com'] },
      { 'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'], 'x.search.msn.com': ['2001:db8:0:0::1'] },
    );
    const verify = createCrawlerVerifier({ resolver });
    expect(await verify('66.249.66.1', 'Mozilla/5.0 (compatible; Googlebot/2.1)')).toEqual({
      state: 'verified',
      host: 'crawl-66-249-66-1.googlebot.com',
    });
    expect(await verify('2001:db8::1', 'bingbot/2.0')).toEqual({ state: 'verified', host: 'x.search.msn.com' });
    expect(await verify('66.249.66.1', 'Mozilla/5.0 Firefox')).toBeNull();
  });

  it('fails a PTR that only claims the domain, or that does not resolve back', async () => {
    const { resolver } = fakeDns(
      {
        '198.51.100.1': ['googlebot.com.evil.example'],
        '198.51.100.2': ['fake.googlebot.com'],
        '198.51.100.3': ['\u001b[31m<script>.googlebot.com'],
      },
      { 'fake.googlebot.com': ['203.0.113.9'] },
    );
    const verify = createCrawlerVerifier({ resolver });
    expect(await verify('198.51.100.1', 'Googlebot')).toEqual({ state: 'failed', host: 'googlebot.com.evil.example' });
    expect(await verify('198.51.100.2', 'Googlebot')).toEqual({ state: 'failed', host: 'fake.googlebot.com' });
    // A PTR with control bytes or markup is never a host name, never shown.
    expect(await verify('198.51.100.3', 'Googlebot')).toEqual({ state: 'failed', host: null });
  });

  it('says unknown when DNS does not answer in time, caches answers, and bounds concurrency', async () => {
    const { resolver, calls } = fakeDns(
      { '198.51.100.9': 'hang', '198.51.100.10': ['a.googlebot.com'] },
      { 'a.googlebot.com': ['198.51.100.10'] },
    );
    const verify = createCrawlerVerifier({ resolver, timeoutMs: 20, concurrency: 1 });
    expect(await verify('198.51.100.9', 'Googlebot')).toEqual({ state: 'unknown', host: null });
    expect(await verify('198.51.100.10', 'Googlebot')).toMatchObject({ state: 'verified' });
    const before = calls.length;
    expect(await verify('198.51.100.10', 'Googlebot')).toMatchObject({ state: 'verified' });
    expect(calls.length).toBe(before); // cached
    const many = await Promise.all(Array.from({ length: 5 }, (_, i) => verify(`198.51.100.${20 + i}`, 'Googlebot')));
    expect(many.every((check) => check?.state === 'unknown' || check?.state === 'failed')).toBe(true);
  });

  it('never runs more lookups at once than its concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return ['not-a-crawler.example'];
    };
    const verify = createCrawlerVerifier({
      resolver: { reverse: slow, resolve4: slow, resolve6: slow },
      concurrency: 2,
    });
    await Promise.all(Array.from({ length: 8 }, (_, i) => verify(`192.0.2.${i + 1}`, 'Googlebot')));
    expect(most).toBe(2);
  });
});
