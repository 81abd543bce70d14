import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import type { RequestFacts } from '../engine-options.js';
import { createAccountHasher } from './account-hash.js';
import { createLoginMonitor } from './monitor.js';
import type { LoginOptions } from './options.js';
import { TimedSets } from './timed-sets.js';

const T0 = Date.UTC(2026, 11, 4, 12);
const KEY = 'a-site-key-of-16+chars';
const monitor = (options: LoginOptions = {}) => createLoginMonitor(options, false)!;

describe('createAccountHasher', () => {
  const hash = createAccountHasher(KEY);
  it('is HMAC-SHA256 cut to 32 hex chars, of the trimmed lower-cased account', () => {
    const expected = createHmac('sha256', KEY).update('alice@example.com').digest('hex').slice(0, 32);
    expect(hash('alice@example.com')).toBe(expected);
    expect(hash('Alice@Example.com ')).toBe(hash('alice@example.com'));
    expect(hash('alice@example.com')).toMatch(/^[0-9a-f]{32}$/);
    expect(createAccountHasher('another-site-key-123')('alice@example.com')).not.toBe(hash('alice@example.com'));
  });
  it('hashes the first 1024 characters, even when lower-casing lengthens them, and control bytes', () => {
    const reference = (text: string) => createHmac('sha256', KEY).update(text).digest('hex').slice(0, 32);
    const long = 'İ'.repeat(2_000);
    expect(hash(long)).toBe(reference('İ'.repeat(1_024).toLowerCase()));
    expect(hash('a\u0000b\r\n')).toBe(reference('a\u0000b'));
    expect(hash('__proto__')).toBe(reference('__proto__'));
  });

  it('returns null for empty or non-string accounts; refuses short keys', () => {
    expect(hash('  ')).toBeNull();
    expect(hash(42)).toBeNull();
    expect(() => createAccountHasher('short')).toThrow(/logins\.accountKey/);
  });
});

describe('login detections', () => {
  it('brute force: the 10th failure for one account from one client bans it for 15 min', () => {
    const logins = monitor();
    for (let i = 0; i < 9; i++) logins.record('c', 'failed', 'acct', T0 + i * 1000);
    expect(logins.banned('c', T0 + 9_000)).toBeNull();
    logins.record('c', 'failed', 'acct', T0 + 9_500);
    expect(logins.banned('c', T0 + 10_000)).toMatchObject({ rule: 'login:brute-force', action: 'block' });
    expect(logins.banned('c', T0 + 9_500 + 900_000)).toBeNull();
    expect(logins.stats().detections['brute-force']).toBe(1);
    expect(logins.empty).toBe(true); // the expired ban is gone: the engine skips the lookup again
  });

  it('brute force: failures spread over more than the window do not add up', () => {
    const logins = monitor({ stuffing: false, compromised: false });
    for (let i = 0; i < 30; i++) logins.record('c', 'failed', 'acct', T0 + i * 60_000);
    expect(logins.banned('c', T0 + 30 * 60_000)).toBeNull();
  });

  it('credential stuffing: 5 distinct accounts failing from one client; repeats do not count', () => {
    const logins = monitor({ bruteForce: false });
    for (let i = 0; i < 20; i++) logins.record('c', 'failed', `a${i % 4}`, T0 + i);
    expect(logins.banned('c', T0 + 100)).toBeNull();
    logins.record('c', 'failed', 'a4', T0 + 200);
    expect(logins.banned('c', T0 + 300)?.rule).toBe('login:credential-stuffing');
  });

  it('password spraying: one account failing from 20 clients bans all of them', () => {
    const logins = monitor({ bruteForce: false, stuffing: false });
    for (let i = 0; i < 19; i++) logins.record(`c${i}`, 'failed', 'ceo', T0 + i);
    expect(logins.banned('c0', T0 + 100)).toBeNull();
    logins.record('c19', 'failed', 'ceo', T0 + 200);
    for (let i = 0; i < 20; i++) expect(logins.banned(`c${i}`, T0 + 300)?.rule).toBe('login:password-spraying');
    expect(logins.banned('bystander', T0 + 300)).toBeNull();
  });

  it('compromised: a success after >= 5 failures (any clients) is counted, not blocked, by default', () => {
    const logins = monitor({ bruteForce: false, stuffing: false, spraying: false });
    for (let i = 0; i < 5; i++) logins.record(`c${i}`, 'failed', 'cfo', T0 + i);
    logins.record('winner', 'success', 'cfo', T0 + 10);
    expect(logins.banned('winner', T0 + 20)).toMatchObject({ rule: 'login:compromised', action: 'count' });
    // 4 failures then a success: nothing.
    for (let i = 0; i < 4; i++) logins.record('d', 'failed', 'cto', T0 + i);
    logins.record('d', 'success', 'cto', T0 + 10);
    expect(logins.banned('d', T0 + 20)).toBeNull();
    // A success starts the account's count over: 4 more failures and a success are nothing either.
    for (let i = 0; i < 4; i++) logins.record('e', 'failed', 'cto', T0 + 30 + i);
    logins.record('e', 'success', 'cto', T0 + 40);
    expect(logins.banned('e', T0 + 50)).toBeNull();
    // A success for an account that never failed counts nothing and holds nothing new.
    const tracked = logins.stats().tracked;
    logins.record('f', 'success', 'never-failed', T0 + 60);
    expect(logins.stats().tracked).toBe(tracked);
  });

  it('a count-mode detection does not override a block ban', () => {
    const logins = monitor({ stuffing: false, spraying: false, bruteForce: { limit: 2, windowMs: 60_000 } });
    logins.record('c', 'failed', 'x', T0);
    logins.record('c', 'failed', 'x', T0);
    for (let i = 0; i < 5; i++) logins.record('e', 'failed', 'x', T0);
    logins.record('c', 'success', 'x', T0 + 1);
    expect(logins.banned('c', T0 + 2)?.rule).toBe('login:brute-force');
  });

  it('global count mode turns every detection into a count', () => {
    const logins = createLoginMonitor({ bruteForce: { limit: 1, windowMs: 60_000 } }, true)!;
    logins.record('c', 'failed', null, T0);
    expect(logins.banned('c', T0)?.action).toBe('count');
  });
});

describe('login monitoring: memory bounds', () => {
  it('holds at most maxTracked entries per structure and counts evictions', () => {
    const logins = monitor({ maxTracked: 100 });
    for (let i = 0; i < 10_000; i++) logins.record(`client-${i}`, 'failed', `account-${i}`, T0 + i);
    const { tracked, evictions } = logins.stats();
    expect(tracked).toBeLessThanOrEqual(400);
    expect(evictions).toBeGreaterThan(30_000);
  });

  it('one client cycling through 100 000 accounts holds at most 2 * limit of them', () => {
    const sets = new TimedSets(60_000, 10, 10);
    for (let i = 0; i < 100_000; i++) sets.add('c', `acct-${i}`, T0 + i / 100);
    expect(sets.members('c')).toHaveLength(10);
    expect(sets.members('c').at(-1)).toBe('acct-99999');
    expect(() => monitor({ stuffing: { limit: 100_001, windowMs: 60_000 } })).toThrow(/stuffing\.limit/);
  });

  it('TimedSets forgets members older than the window', () => {
    const sets = new TimedSets(1_000, 10, 100);
    sets.add('c', 'a', T0);
    sets.add('c', 'b', T0 + 500);
    expect(sets.add('c', 'c', T0 + 1_200)).toBe(2);
  });

  it('TimedSets keeps a member seen again within a 64th of the window, and refreshes it after', () => {
    const sets = new TimedSets(6_400, 10, 100);
    sets.add('c', 'a', T0);
    sets.add('c', 'b', T0 + 50);
    // Seen again 100 ms later (a 64th of 6.4 s): it keeps its place and its first time, and so
    // leaves the window 100 ms early.
    sets.add('c', 'a', T0 + 100);
    expect(sets.members('c')).toEqual(['a', 'b']);
    expect(sets.add('c', 'z', T0 + 6_401)).toBe(2);
    expect(sets.members('c')).toEqual(['b', 'z']);
    // Seen again later than that: it moves to the end with its new time, and stays in the window.
    sets.add('c', 'b', T0 + 6_440);
    expect(sets.members('c')).toEqual(['z', 'b']);
    expect(sets.add('c', 'y', T0 + 6_460)).toBe(3);
  });
});

describe('login options validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an object', 'yes', /options\.logins/],
    ['endpoints not an array', { endpoints: {} }, /logins\.endpoints/],
    ['a bad method', { endpoints: [{ method: 'P OST', path: '/login' }] }, /endpoints\[0\]\.method/],
    ['a relative path', { endpoints: [{ method: 'POST', path: 'login' }] }, /endpoints\[0\]\.path/],
    ['a path with a query', { endpoints: [{ method: 'POST', path: '/login?x' }] }, /endpoints\[0\]\.path/],
    ['failed not a function', { endpoints: [{ method: 'POST', path: '/l', failed: 401 }] }, /endpoints\[0\]\.failed/],
    ['a short key', { accountKey: 'k' }, /logins\.accountKey/],
    ['a zero limit', { bruteForce: { limit: 0, windowMs: 60_000 } }, /bruteForce\.limit/],
    ['a huge window', { spraying: { limit: 5, windowMs: 1e12 } }, /spraying\.windowMs/],
    ['a bad mode', { compromised: { limit: 5, windowMs: 60_000, mode: 'ban' } }, /compromised\.mode/],
    ['a NaN ban', { stuffing: { limit: 5, windowMs: 60_000, banMs: Number.NaN } }, /stuffing\.banMs/],
    ['a bad maxTracked', { maxTracked: -1 }, /logins\.maxTracked/],
  ])('throws a TypeError naming the field for %s', (_name, logins, message) => {
    expect(() => createEngine({ logins: logins as LoginOptions })).toThrow(TypeError);
    expect(() => createEngine({ logins: logins as LoginOptions })).toThrow(message);
  });
});

describe('login monitoring in the engine', () => {
  const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
    ip: '2001:db8:5:6::1',
    method: 'POST',
    host: 'shop.example',
    path: '/login?next=/cart',
    ua: 'Mozilla/5.0',
    country: 'JP',
    ...over,
  });

  it('declared endpoints judge by status; 5xx and other paths are no attempts; IPv6 per /64', () => {
    const engine = createEngine({ logins: { endpoints: [{ method: 'post', path: '/login' }] } });
    engine.observe(facts(), engine.decide(facts()), 500, 1);
    engine.observe(facts({ path: '/other' }), engine.decide(facts({ path: '/other' })), 401, 1);
    expect(engine.stats().logins).toMatchObject({ attempts: 0 });
    for (let i = 0; i < 10; i++) {
      const req = facts({ ip: `2001:db8:5:6::${i + 1}` });
      engine.observe(req, engine.decide(req), 401, 1);
    }
    expect(engine.stats().logins).toMatchObject({ attempts: 10, failures: 10, bansActive: 1 });
    expect(engine.decide(facts({ ip: '2001:db8:5:6::99', path: '/' }))).toMatchObject({
      action: 'block',
      rule: 'login:brute-force',
    });
    expect(engine.decide(facts({ ip: '2001:db8:5:7::1' })).action).toBe('allow');
  });

  it('a GET endpoint is declared like any other; GETs elsewhere are no attempts', () => {
    const logins = monitor({
      endpoints: [
        { method: 'get', path: '/sso/callback' },
        { method: 'POST', path: '/login' },
      ],
    });
    expect(logins.outcomeOf(facts({ method: 'GET', path: '/sso/callback?code=1' }), 403)).toBe('failed');
    expect(logins.outcomeOf(facts({ method: 'GET', path: '/sso/callback' }), 302)).toBe('success');
    expect(logins.outcomeOf(facts({ method: 'GET', path: '/login' }), 401)).toBeNull();
    expect(
      monitor({ endpoints: [{ method: 'POST', path: '/login' }] }).outcomeOf(facts({ method: 'GET' }), 401),
    ).toBeNull();
  });

  it('an app-reported outcome wins over the status; a clear account is hashed, never kept', () => {
    const events: unknown[] = [];
    const engine = createEngine({
      logins: { accountKey: KEY },
      sink: { push: (e) => void events.push(e), flush: async () => {}, close: async () => {} },
    });
    engine.observe(facts(), engine.decide(facts()), 200, 1, { outcome: 'failed', account: '<img src=x>' });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('img');
    expect((events[0] as { login: unknown }).login).toEqual({
      outcome: 'failed',
      account: createAccountHasher(KEY)('<img src=x>'),
    });
  });
});
