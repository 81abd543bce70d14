import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../engine-options.js';
import { createEngine } from '../engine.js';
import { compileRateRules, type RateRule } from './rate.js';
import { ratePresets } from './rate-presets.js';
import type { ParsedIp } from '../ip/parse.js';

/** A parsed IPv4 address of its own for each key the test names, carrying the key (clientKey below reads it back). */
const addresses = new Map<string, number>();
const ip = (key: string): ParsedIp => {
  let word = addresses.get(key);
  if (word === undefined) addresses.set(key, (word = 0xc0000200 + addresses.size));
  return { family: 4, words: [word], key } as ParsedIp;
};

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const req = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  ip: '203.0.113.7',
  method: 'GET',
  host: 'shop.example',
  path: '/products',
  ua: 'Mozilla/5.0',
  country: 'JP',
  ...over,
});
const onError = (error: unknown) => {
  throw error;
};
const clientKey = (_req: RequestFacts, ip: ParsedIp) => (ip as unknown as { key: string }).key;
const compile = (rules: RateRule[]) => compileRateRules(rules, { mode: 'block', onError, clientKey })!;

describe('rate rules: sliding window maths', () => {
  it('allows exactly `limit` requests in a window, refuses the next with 429 and Retry-After', () => {
    const rates = compile([{ name: 'r', limit: 5, windowMs: 10_000 }]);
    for (let i = 0; i < 5; i++) expect(rates.check(req(), ip('c'), null, T0 + i)).toBeNull();
    expect(rates.check(req(), ip('c'), null, T0 + 10)).toEqual({
      rule: 'rate:r',
      action: 'block',
      status: 429,
      retryAfterS: 10,
    });
  });

  it('slides: the previous window counts in proportion to its overlap', () => {
    const rates = compile([{ name: 'r', limit: 10, windowMs: 10_000 }]);
    const start = Math.ceil(T0 / 10_000) * 10_000;
    // 10 requests at the very end of one window...
    for (let i = 0; i < 10; i++) expect(rates.check(req(), ip('c'), null, start + 9_990)).toBeNull();
    // ...then, 10 ms into the next, the previous window still weighs 99.9%: the next request is refused.
    expect(rates.check(req(), ip('c'), null, start + 10_010)).not.toBeNull();
    // An aligned fixed window would have started over there; a full window later it is forgotten.
    const fresh = compile([{ name: 'r', limit: 10, windowMs: 10_000 }]);
    for (let i = 0; i < 10; i++) fresh.check(req(), ip('c'), null, start + 9_990);
    expect(fresh.check(req(), ip('c'), null, start + 20_000)).toBeNull();
  });

  it('half-way into the next window, half of the previous count remains', () => {
    const rates = compile([{ name: 'r', limit: 10, windowMs: 10_000 }]);
    const start = Math.ceil(T0 / 10_000) * 10_000;
    for (let i = 0; i < 10; i++) rates.check(req(), ip('c'), null, start + 1);
    // 10 * 0.5 + 5 = 10: still allowed; the 6th in the new window makes 11.
    for (let i = 0; i < 5; i++) expect(rates.check(req(), ip('c'), null, start + 15_000)).toBeNull();
    expect(rates.check(req(), ip('c'), null, start + 15_000)?.rule).toBe('rate:r');
  });

  it('bans for banMs, then counts again from zero; Retry-After counts down', () => {
    const rates = compile([{ name: 'r', limit: 1, windowMs: 10_000, banMs: 60_000 }]);
    rates.check(req(), ip('c'), null, T0);
    expect(rates.check(req(), ip('c'), null, T0)?.retryAfterS).toBe(60);
    expect(rates.check(req(), ip('c'), null, T0 + 30_500)?.retryAfterS).toBe(30);
    expect(rates.check(req(), ip('c'), null, T0 + 60_000)).toBeNull();
  });

  it('403 rules and count rules', () => {
    const rates = compile([
      { name: 'counted', limit: 1, windowMs: 10_000, action: 'count' },
      { name: 'forbidden', limit: 2, windowMs: 10_000, status: 403 },
    ]);
    rates.check(req(), ip('c'), null, T0);
    expect(rates.check(req(), ip('c'), null, T0)).toMatchObject({ rule: 'rate:counted', action: 'count' });
    expect(rates.check(req(), ip('c'), null, T0)).toMatchObject({
      rule: 'rate:forbidden',
      action: 'block',
      status: 403,
    });
  });
});

describe('rate rules: keys and matching', () => {
  it('ip+path counts each path apart; a key function may skip a request', () => {
    const rates = compile([
      { name: 'per-path', limit: 1, windowMs: 10_000, key: 'ip+path' },
      { name: 'by-header', limit: 1, windowMs: 10_000, key: (r) => (r.host === 'skip' ? null : r.host) },
    ]);
    expect(rates.check(req({ path: '/a', host: 'skip' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/b?x=1', host: 'skip' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/a?y', host: 'skip' }), ip('c'), null, T0)?.rule).toBe('rate:per-path');
  });

  it('matches methods, prefixes, RegExps (without g state) and bot categories, browser = null', () => {
    const rates = compile([
      {
        name: 'm',
        limit: 1,
        windowMs: 10_000,
        match: { methods: ['post'], paths: ['/api/', /^\/login$/g], botCategories: ['browser', 'http-client'] },
      },
    ]);
    expect(rates.check(req({ method: 'GET', path: '/api/x' }), ip('a'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'GET', path: '/api/x' }), ip('a'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/shop' }), ip('b'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/shop' }), ip('b'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/login' }), ip('c'), 'search-engine', T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/login' }), ip('c'), 'search-engine', T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/login' }), ip('d'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'POST', path: '/login' }), ip('d'), null, T0)?.rule).toBe('rate:m');
    expect(rates.check(req({ method: 'post', path: '/api/1' }), ip('e'), 'http-client', T0)).toBeNull();
    expect(rates.check(req({ method: 'post', path: '/api/2' }), ip('e'), 'http-client', T0)?.rule).toBe('rate:m');
  });

  it('GETs are counted by the rules that name GET (any case) or no method, and by no other', () => {
    const rates = compile([
      { name: 'reads', limit: 2, windowMs: 10_000, match: { methods: ['get', 'HEAD'] } },
      { name: 'writes', limit: 1, windowMs: 10_000, match: { methods: ['POST'] }, action: 'count' },
    ]);
    expect(rates.check(req({ method: 'GET' }), ip('g'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'get' }), ip('g'), 'crawler', T0)).toBeNull();
    expect(rates.check(req({ method: 'GET' }), ip('g'), null, T0)?.rule).toBe('rate:reads');
    for (let i = 0; i < 3; i++)
      expect(rates.check(req({ method: 'GET' }), ip('h'), 'crawler', T0 + i)?.rule ?? null).toBe(
        i < 2 ? null : 'rate:reads',
      );
    expect(rates.check(req({ method: 'POST' }), ip('h'), null, T0)).toBeNull();
    expect(rates.check(req({ method: 'post' }), ip('h'), null, T0)?.rule).toBe('rate:writes');
  });

  it('a rule for some bot categories counts only those; ip+path keys ignore the query string', () => {
    const rates = compile([
      { name: 'crawlers', limit: 1, windowMs: 10_000, match: { botCategories: ['crawler'] } },
      { name: 'per-path', limit: 2, windowMs: 10_000, key: 'ip+path', action: 'count' },
    ]);
    for (let i = 0; i < 5; i++) expect(rates.check(req({ path: `/p${i}` }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/x' }), ip('c'), 'crawler', T0)).toBeNull();
    expect(rates.check(req({ path: '/x' }), ip('c'), 'crawler', T0)?.rule).toBe('rate:crawlers');
    expect(rates.check(req({ path: '/p0?a=1' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/p0?b=2' }), ip('c'), null, T0)).toMatchObject({ rule: 'rate:per-path' });
    expect(rates.stats().countersHeld).toBe(5); // /p1../p4 and /x: banned keys are counted afresh
  });

  it('ip+path: sharing sees the joined key; a ban from another instance refuses that path only', () => {
    const rates = compile([{ name: 'pp', limit: 3, windowMs: 10_000, key: 'ip+path', banMs: 60_000 }]);
    const shared: string[] = [];
    rates.onHit = (rule, key) => void shared.push(`${rule}|${key}`);
    rates.check(req({ path: '/cart?id=1' }), ip('c'), null, T0);
    expect(shared).toEqual(['rate:pp|c /cart']);
    expect(rates.impose('rate:pp', 'c /login', T0 + 60_000)).toBe(true);
    expect(rates.check(req({ path: '/login' }), ip('c'), null, T0)).toMatchObject({ rule: 'rate:pp', retryAfterS: 60 });
    expect(rates.check(req({ path: '/login' }), ip('d'), null, T0)).toBeNull();
    rates.onHit = null;
    // With a ban held, counting still works, and refusing starts a ban of the joined key.
    for (let i = 0; i < 2; i++) expect(rates.check(req({ path: '/cart' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/cart' }), ip('c'), null, T0)?.retryAfterS).toBe(60);
    expect(rates.stats()).toMatchObject({ countersHeld: 1, bansActive: 2 }); // d on /login; c's /cart was reset
  });

  it('ip+path without bans or sharing: refuses past the limit, bans that path, counts afresh after', () => {
    const rates = compile([{ name: 'pp', limit: 2, windowMs: 10_000, key: 'ip+path', banMs: 10_000 }]);
    expect(rates.check(req({ path: '/a' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/a' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/a' }), ip('c'), null, T0)?.rule).toBe('rate:pp');
    expect(rates.check(req({ path: '/b' }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/a' }), ip('c'), null, T0 + 5_000)?.retryAfterS).toBe(5);
    expect(rates.check(req({ path: '/a' }), ip('c'), null, T0 + 10_000)).toBeNull();
  });

  it('ip+path: 20 000 near-alike paths of one client never share a counter; a path is its first 256 characters', () => {
    const rates = compile([{ name: 'pp', limit: 1, windowMs: 10_000, key: 'ip+path' }]);
    const paths = ['/ab', '/ba', '/a/b', '/a%2Fb', '/\u00e9', '/e\u0301', '/', '//', '/a\u0000', '/a'];
    for (let i = 0; i < 10_000; i++) paths.push(`/p/${i}`, `/${i.toString(36).split('').reverse().join('')}/`);
    for (const path of new Set(paths)) expect(rates.check(req({ path }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: '/p/9999?again' }), ip('c'), null, T0)?.rule).toBe('rate:pp');
    // The query is cut off wherever its '?' falls, even right after the '/'.
    expect(rates.check(req({ path: '/ab?x' }), ip('c'), null, T0)?.rule).toBe('rate:pp');
    expect(rates.check(req({ path: '/a?' }), ip('c'), null, T0)?.rule).toBe('rate:pp');
    expect(rates.check(req({ path: '/?y' }), ip('c'), null, T0)?.rule).toBe('rate:pp');
    const long = `/${'x'.repeat(255)}`;
    expect(rates.check(req({ path: `${long}a` }), ip('c'), null, T0)).toBeNull();
    expect(rates.check(req({ path: `${long}b` }), ip('c'), null, T0)?.rule).toBe('rate:pp');
  });

  it('hostile keys and paths stay bounded: 1 MB paths and control bytes', () => {
    const rates = compileRateRules([{ name: 'p', limit: 1, windowMs: 10_000, key: 'ip+path', maxClients: 10 }], {
      mode: 'block',
      onError,
      clientKey,
    })!;
    for (let i = 0; i < 100; i++) rates.check(req({ path: `/${'x'.repeat(1e6)}\u0000${i}` }), ip(`c${i}`), null, T0);
    expect(rates.stats().countersHeld).toBe(10);
    expect(rates.stats().evictions).toBe(90);
  });

  it('a throwing key function goes to onError and the request is not counted', () => {
    const errors: unknown[] = [];
    const rates = compileRateRules(
      [
        {
          name: 'k',
          limit: 1,
          windowMs: 10_000,
          key: () => {
            throw new Error('boom');
          },
        },
      ],
      { mode: 'block', onError: (e) => errors.push(e), clientKey },
    )!;
    expect(rates.check(req(), ip('c'), null, T0)).toBeNull();
    expect(errors).toHaveLength(1);
  });
});

describe('rate rules: the clock', () => {
  it('is read only when a rule matches the request, once however many match', () => {
    const rates = compile([
      { name: 'crawlers', limit: 2, windowMs: 10_000, match: { botCategories: ['crawler'] } },
      { name: 'api', limit: 2, windowMs: 10_000, match: { paths: ['/api/'] } },
      { name: 'per-ip', limit: 2, windowMs: 10_000, match: { methods: ['POST'] } },
    ]);
    let reads = 0;
    const clock = () => (reads++, T0);
    expect(rates.check(req({ path: '/products' }), ip('c'), null, clock)).toBeNull();
    expect(reads).toBe(0);
    expect(rates.check(req({ method: 'post', path: '/api/x' }), ip('c'), 'crawler', clock)).toBeNull();
    expect(reads).toBe(1);
    rates.check(req({ method: 'POST', path: '/api/x' }), ip('c'), 'crawler', clock);
    expect(rates.check(req({ method: 'POST', path: '/api/x' }), ip('c'), 'crawler', clock)?.rule).toBe('rate:crawlers');
    expect(reads).toBe(3);
  });

  it('a prefix is tested as startsWith, whatever its last character', () => {
    const rates = compile([{ name: 'r', limit: 1, windowMs: 10_000, match: { paths: ['/api/', '/x'] } }]);
    for (const [path, counted] of [
      ['/api/', true],
      ['/api', false],
      ['/apix/', false],
      ['/bpi/', false],
      ['/x', true],
      ['', false],
    ] as const) {
      const fresh = `${path}-client`;
      rates.check(req({ path }), ip(fresh), null, T0);
      expect(rates.check(req({ path }), ip(fresh), null, T0) !== null).toBe(counted);
    }
  });
});

describe('rate rules: memory bounds', () => {
  it('holds at most maxClients counters and counts evictions', () => {
    const rates = compile([{ name: 'r', limit: 100, windowMs: 60_000, maxClients: 1_000 }]);
    for (let i = 0; i < 5_000; i++) rates.check(req(), ip(`client-${i}`), null, T0);
    expect(rates.stats()).toEqual({ countersHeld: 1_000, evictions: 4_000, bansActive: 0 });
  });
});

describe('rate rules: option validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['a bad name', { name: 'Bad Name', limit: 1, windowMs: 10_000 }, /rateRules\[0\]\.name/],
    ['markup in a name', { name: '<b>', limit: 1, windowMs: 10_000 }, /rateRules\[0\]\.name/],
    ['limit 0', { name: 'a', limit: 0, windowMs: 10_000 }, /rateRules\[0\]\.limit/],
    ['a fractional limit', { name: 'a', limit: 1.5, windowMs: 10_000 }, /rateRules\[0\]\.limit/],
    ['a 5 s window', { name: 'a', limit: 1, windowMs: 5_000 }, /rateRules\[0\]\.windowMs/],
    ['an 11 min window', { name: 'a', limit: 1, windowMs: 660_000 }, /rateRules\[0\]\.windowMs/],
    ['an unknown key', { name: 'a', limit: 1, windowMs: 10_000, key: 'ua' }, /rateRules\[0\]\.key/],
    ['an unknown action', { name: 'a', limit: 1, windowMs: 10_000, action: 'drop' }, /rateRules\[0\]\.action/],
    ['status 418', { name: 'a', limit: 1, windowMs: 10_000, status: 418 }, /rateRules\[0\]\.status/],
    ['a NaN ban', { name: 'a', limit: 1, windowMs: 10_000, banMs: Number.NaN }, /rateRules\[0\]\.banMs/],
    ['a bad method', { name: 'a', limit: 1, windowMs: 10_000, match: { methods: ['GE T'] } }, /match\.methods/],
    ['a relative path', { name: 'a', limit: 1, windowMs: 10_000, match: { paths: ['api'] } }, /match\.paths/],
    ['a bad category', { name: 'a', limit: 1, windowMs: 10_000, match: { botCategories: ['robot'] } }, /botCategories/],
    ['null', null, /rateRules\[0\]/],
  ])('throws a TypeError naming the field for %s', (_name, rule, message) => {
    expect(() => createEngine({ rateRules: [rule as RateRule] })).toThrow(TypeError);
    expect(() => createEngine({ rateRules: [rule as RateRule] })).toThrow(message);
  });

  it('refuses duplicate names and a non-array', () => {
    const rule = { name: 'a', limit: 1, windowMs: 10_000 };
    expect(() => createEngine({ rateRules: [rule, rule] })).toThrow(/not unique/);
    expect(() => createEngine({ rateRules: rule as unknown as RateRule[] })).toThrow(/options\.rateRules/);
  });

  it('the standard preset compiles', () => {
    expect(() => createEngine({ rateRules: ratePresets.standard })).not.toThrow();
  });
});

describe('rate rules in the engine', () => {
  it('refuses a 20 req/s scraper getting 200s with 429 after bans, before bots; IPv6 per /64', () => {
    let now = T0;
    const engine = createEngine({ rateRules: [{ name: 'per-ip', limit: 300, windowMs: 60_000 }], now: () => now });
    let refused = null;
    for (let i = 0; i < 400 && refused === null; i++) {
      now = T0 + i * 50;
      const facts = req({ ip: `2001:db8:1:2::${(i % 200).toString(16)}`, ua: 'SeznamBot/4.0' });
      const decision = engine.decide(facts);
      if (decision.action === 'block') refused = { i, decision };
      else engine.observe(facts, decision, 200, 1);
    }
    expect(refused?.i).toBe(300);
    expect(refused?.decision).toMatchObject({ action: 'block', rule: 'rate:per-ip', status: 429, retryAfterS: 60 });
    expect(engine.stats().rules['rate:per-ip']).toBe(1);
    expect(engine.stats().rate).toMatchObject({ countersHeld: 0, bansActive: 1 });
    // Another /64 is another client.
    expect(engine.decide(req({ ip: '2001:db8:1:3::1' })).action).toBe('allow');
  });

  it.each([
    [48, '2001:db8:1:ffff::9', '2001:db8:2::1'],
    [56, '2001:db8:1:2ff::9', '2001:db8:1:300::1'],
    [96, '2001:db8:1:2:3:4:ffff:9', '2001:db8:1:2:3:5::1'],
    [128, '2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:7'],
  ])('ipv6Prefix %i: one block is one client, the next block another', (prefix, same, other) => {
    const engine = createEngine({ ipv6Prefix: prefix, rateRules: [{ name: 'r', limit: 2, windowMs: 10_000 }] });
    const first = prefix === 128 ? same : same.replace(/:[0-9a-f]+$/, ':1');
    expect(engine.decide(req({ ip: first })).action).toBe('allow');
    expect(engine.decide(req({ ip: same })).action).toBe('allow');
    expect(engine.decide(req({ ip: same })).rule).toBe('rate:r');
    expect(engine.decide(req({ ip: other })).action).toBe('allow');
  });

  it('an IPv4 client and the IPv6 address with the same first word are two clients', () => {
    const engine = createEngine({ rateRules: [{ name: 'r', limit: 1, windowMs: 10_000, key: 'ip+path' }] });
    // 192.0.2.1 is 0xc0000201; c000:201:: has the same first 32 bits.
    expect(engine.decide(req({ ip: '192.0.2.1' })).action).toBe('allow');
    expect(engine.decide(req({ ip: 'c000:201::' })).action).toBe('allow');
    expect(engine.decide(req({ ip: '::ffff:192.0.2.1' })).rule).toBe('rate:r'); // IPv4-mapped is IPv4
  });

  it("global mode 'count' turns a rate block into a count", () => {
    const engine = createEngine({ mode: 'count', rateRules: [{ name: 'r', limit: 1, windowMs: 10_000 }] });
    engine.decide(req());
    expect(engine.decide(req())).toMatchObject({ action: 'count', rule: 'rate:r' });
  });

  it('the allow list skips rate rules', () => {
    const engine = createEngine({
      allowList: ['203.0.113.0/24'],
      rateRules: [{ name: 'r', limit: 1, windowMs: 10_000 }],
    });
    for (let i = 0; i < 5; i++) expect(engine.decide(req()).action).toBe('allow');
  });
});
