import { afterEach, describe, expect, it, vi } from 'vitest';
import { memorySink } from '../../test/memory-sink.js';
import { eventSchema, type DenyEntry } from '../protocol/index.js';
import { createEngine, type EngineOptions, type RequestFacts } from './engine.js';
import { parseIp } from './ip/parse.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** In Google's published crawler ranges: elsewhere, a Googlebot user agent is an impersonator. */
const GOOGLE_IP = '66.249.66.1';
const SQLMAP = 'sqlmap/1.7.2#stable (https://sqlmap.org)';

function req(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return { ip: '203.0.113.7', method: 'GET', host: 'shop.example', path: '/', ua: CHROME, country: 'JP', ...overrides };
}

function synced(value: string, extra: Partial<DenyEntry> = {}): DenyEntry {
  return { id: `d_${value}`, value, reason: 'test', source: 'manual', createdAt: 1, expiresAt: null, ...extra };
}

describe('createEngine: rule order', () => {
  const engine = createEngine({
    allowList: ['10.0.0.0/8', '2001:db8:ffff::/48'],
    denyList: ['198.51.100.0/24', '2001:db8::/32', { value: '10.9.9.9' }],
  });
  it.each([
    ['a browser', req(), 'allow', null],
    ['a denied IPv4', req({ ip: '198.51.100.20' }), 'block', 'deny-list'],
    ['a denied IPv4-mapped IPv6', req({ ip: '::ffff:198.51.100.20' }), 'block', 'deny-list'],
    ['a denied IPv6', req({ ip: '2001:db8:1::5' }), 'block', 'deny-list'],
    ['the allow list over the deny list', req({ ip: '10.9.9.9' }), 'allow', null],
    ['the allow list over a scanner', req({ ip: '10.1.1.1', ua: SQLMAP, path: '/.env' }), 'allow', null],
    ['an allowed /48 inside a denied /32', req({ ip: '2001:db8:ffff::1' }), 'allow', null],
    ['a scanner', req({ ua: SQLMAP }), 'block', 'bot:scanner'],
    ['a search engine probing', req({ ip: GOOGLE_IP, ua: GOOGLEBOT, path: '/.env' }), 'block', 'probe:/.env'],
    ['a search engine', req({ ip: GOOGLE_IP, ua: GOOGLEBOT, path: '/products' }), 'allow', null],
    ['a probe', req({ path: '/wp-login.php' }), 'block', 'probe:/wp-login.php'],
    ['the deny list before bots', req({ ip: '198.51.100.1', ua: SQLMAP }), 'block', 'deny-list'],
    [
      'a malformed IP (rules on IP skipped, others apply)',
      req({ ip: 'nonsense', path: '/.git/HEAD' }),
      'block',
      'probe:/.git/',
    ],
    [
      'an address the adapter already parsed',
      req({ ip: '198.51.100.20', parsedIp: parseIp('198.51.100.20') }),
      'block',
      'deny-list',
    ],
    ['no address the adapter could parse', req({ ip: 'unknown', parsedIp: null }), 'allow', null],
  ])('%s', (_name, facts, action, rule) => {
    const decision = engine.decide(facts);
    expect(decision.action).toBe(action);
    expect(decision.rule).toBe(rule);
  });

  it('reports the bot category on every decision', () => {
    expect(engine.decide(req({ ip: GOOGLE_IP, ua: GOOGLEBOT })).botCategory).toBe('search-engine');
    expect(engine.decide(req({ ua: '' })).botCategory).toBe('other-bot');
    expect(engine.decide(req()).botCategory).toBeNull();
  });
});

describe('createEngine: modes', () => {
  it('count mode records instead of blocking', () => {
    const engine = createEngine({ mode: 'count', denyList: ['198.51.100.1'] });
    expect(engine.decide(req({ ip: '198.51.100.1' }))).toMatchObject({ action: 'count', rule: 'deny-list' });
    expect(engine.decide(req({ ua: SQLMAP }))).toMatchObject({ action: 'count', rule: 'bot:scanner' });
  });

  it('per-category and per-probe modes; a later block beats an earlier count', () => {
    const engine = createEngine({
      bots: { 'ai-crawler': 'block', scanner: 'count' },
      probes: { extraPaths: [{ pattern: '/admin', match: 'prefix', mode: 'count' }] },
    });
    expect(engine.decide(req({ ua: 'CCBot/2.0 (https://commoncrawl.org/faq/)' }))).toMatchObject({
      action: 'block',
      rule: 'bot:ai-crawler',
    });
    expect(engine.decide(req({ ua: SQLMAP }))).toMatchObject({ action: 'count', rule: 'bot:scanner' });
    expect(engine.decide(req({ ua: SQLMAP, path: '/.env' }))).toMatchObject({ action: 'block', rule: 'probe:/.env' });
    expect(engine.decide(req({ path: '/admin/x' }))).toMatchObject({ action: 'count', rule: 'probe:/admin' });
  });

  it('verified bots skip the bot-category rules', () => {
    const engine = createEngine({ bots: { 'search-engine': 'block' } });
    expect(engine.decide(req({ ip: GOOGLE_IP, ua: GOOGLEBOT }))).toMatchObject({ action: 'block' });
    expect(engine.decide(req({ ua: GOOGLEBOT, verifiedBot: true }))).toMatchObject({ action: 'allow', rule: null });
  });

  it('wordpress: true leaves WordPress paths alone', () => {
    expect(createEngine({ wordpress: true }).decide(req({ path: '/wp-login.php' })).action).toBe('allow');
  });

  it('extraBots are recognised', () => {
    const engine = createEngine({ extraBots: [{ name: 'rival', category: 'scanner', pattern: 'rival-scan' }] });
    expect(engine.decide(req({ ua: 'rival-scan/2' }))).toMatchObject({ action: 'block', rule: 'bot:scanner' });
  });
});

describe('createEngine: synced deny list', () => {
  it('adds to the static list, replaces on each update, skips malformed and expired entries', () => {
    const errors: unknown[] = [];
    let clock = 1_000;
    const engine = createEngine({ denyList: ['192.0.2.1'], now: () => clock, onError: (e) => errors.push(e) });
    engine.setDenyList([
      synced('198.51.100.0/24'),
      synced('bogus'),
      synced('203.0.113.9', { expiresAt: 2_000, source: 'auto' }),
    ]);
    expect(errors).toHaveLength(1);
    expect(engine.decide(req({ ip: '192.0.2.1' })).rule).toBe('deny-list');
    expect(engine.decide(req({ ip: '198.51.100.3' })).rule).toBe('deny-list:manual');
    expect(engine.decide(req({ ip: '203.0.113.9' })).rule).toBe('deny-list:auto');
    clock = 2_000;
    expect(engine.decide(req({ ip: '203.0.113.9' })).action).toBe('allow');
    engine.setDenyList([]);
    expect(engine.decide(req({ ip: '198.51.100.3' })).action).toBe('allow');
    expect(engine.decide(req({ ip: '192.0.2.1' })).action).toBe('block');
    expect(engine.stats().denyListSize).toBe(1);
  });

  it('lets a client a triage allowed through whatever else matches, until the list drops it', () => {
    const engine = createEngine({ bans: { threshold: 1, windowMs: 10_000, banMs: 60_000 } });
    const scanner = req({ ip: '2001:db8:1:2::7', ua: SQLMAP });
    expect(engine.decide(scanner).action).toBe('block');
    engine.setDenyList([synced('2001:db8::/32')], ['2001:db8:1:2::/64', 'not-an-ip']);
    expect(engine.decide(scanner)).toMatchObject({ action: 'allow', rule: null });
    expect(engine.decide(req({ ip: '2001:db8:9::1' })).rule).toBe('deny-list:manual');
    engine.setDenyList([synced('2001:db8::/32')]);
    expect(engine.decide(scanner).action).toBe('block');
  });
});

describe('createEngine: bursts, bans and events', () => {
  it('bans a client after a burst of errors and lets it back when the ban ends', () => {
    let clock = 1_000_000;
    const sink = memorySink();
    const engine = createEngine({ bans: { threshold: 3, windowMs: 10_000, banMs: 60_000 }, now: () => clock, sink });
    const client = req({ ip: '2001:db8:1:2::7' });
    for (let i = 0; i < 4; i++) engine.observe(client, engine.decide(client), 404, 3);
    // The same /64 is one client.
    expect(engine.decide(req({ ip: '2001:db8:1:2::99' }))).toMatchObject({ action: 'block', rule: 'ban' });
    expect(engine.decide(req({ ip: '2001:db8:1:3::1' })).action).toBe('allow');
    expect(engine.stats()).toMatchObject({ bansActive: 1, bansIssued: 1 });
    clock += 60_001;
    expect(engine.decide(client).action).toBe('allow');
    expect(sink.events).toHaveLength(4);
  });

  it('samples allowed 2xx with the injected random, keeps every error and block, all schema-valid', () => {
    const sink = memorySink();
    const randoms = [0.5, 0.05];
    const engine = createEngine({
      sampleRate: 0.1,
      random: () => randoms.shift() ?? 0.99,
      sink,
      now: () => 1_700_000_000_500,
    });
    const ok = req({ path: '/search?q=secret' });
    engine.observe(ok, engine.decide(ok), 200, 12); // random 0.5: skipped
    engine.observe(ok, engine.decide(ok), 200, 12); // random 0.05: kept at 0.1
    engine.observe(ok, engine.decide(ok), 500, 12);
    const probe = req({ path: '/.env', ua: 'x'.repeat(2_000), country: 'jp' });
    engine.observe(probe, engine.decide(probe), 403, 0.25);
    expect(sink.events.map((e) => [e.status, e.sampleRate, e.action])).toEqual([
      [200, 0.1, 'allow'],
      [500, 1, 'allow'],
      [403, 1, 'block'],
    ]);
    for (const e of sink.events) expect(eventSchema.parse(e)).toEqual(e);
    expect(sink.events[0]).toMatchObject({ path: '/search', ts: 1_700_000_000_488, country: 'JP' });
    expect(sink.events[2]).toMatchObject({ rule: 'probe:/.env', action: 'block' });
    expect(sink.events[2]?.ua).toHaveLength(512);
    expect(engine.stats()).toMatchObject({
      sampled: 3,
      skipped: 1,
      decisions: { allow: 3, block: 1, count: 0 },
      rules: { 'probe:/.env': 1 },
    });
  });

  it.each([
    ['jp', 'JP'],
    ['XX', null],
    ['ZZ', null],
    ['T1', null],
    ['japan', null],
  ])('an event carries country %j as %j, as the resolver would', (given, stored) => {
    const sink = memorySink();
    const engine = createEngine({ sink });
    const facts = req({ country: given });
    engine.observe(facts, engine.decide(facts), 200, 1);
    expect(sink.events[0]?.country).toBe(stored);
  });

  it('a throwing sink is reported, never thrown', () => {
    const errors: unknown[] = [];
    const engine = createEngine({
      sink: {
        push: () => {
          throw new Error('full');
        },
        flush: async () => {},
        close: async () => {},
      },
      onError: (e) => errors.push(e),
    });
    expect(() => engine.observe(req(), engine.decide(req()), 200, 1)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(engine.stats().errors).toBe(1);
  });

  it('close() closes the sink', async () => {
    let closed = false;
    const engine = createEngine({
      sink: {
        push: () => {},
        flush: async () => {},
        close: async () => {
          closed = true;
        },
      },
    });
    await engine.close();
    expect(closed).toBe(true);
  });
});

describe('createEngine: options are validated', () => {
  it.each([
    [{ mode: 'dry-run' }, /options\.mode/],
    [{ mode: 'allow' }, /options\.mode/],
    [{ allowList: ['10.0.0.0/33'] }, /options\.allowList.*10\.0\.0\.0\/33/],
    [{ denyList: ['1.2.3.4', 'not-an-ip'] }, /options\.denyList.*not-an-ip/],
    [{ bots: { robots: 'block' } }, /options\.bots.*robots/],
    [{ bots: { scanner: 'deny' } }, /options\.bots\["scanner"\]/],
    [{ sampleRate: 2 }, /options\.sampleRate/],
    [{ bans: { threshold: -1 } }, /options\.bans\.threshold/],
    [{ ipv6Prefix: 129 }, /options\.ipv6Prefix/],
    [{ wordpress: 'yes' }, /options\.wordpress/],
    [{ sink: {} }, /options\.sink/],
  ])('%j', (options, message) => {
    expect(() => createEngine(options as EngineOptions)).toThrow(TypeError);
    expect(() => createEngine(options as EngineOptions)).toThrow(message);
  });
});

describe('createEngine: the time of a request', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const rateRules = [{ name: 'per-ip', limit: 3, windowMs: 10_000 }];
  const logins = { endpoints: [{ method: 'POST', path: '/login' }] };

  it("takes rate rules' time from the adapter's arrival reading instead of reading the clock", () => {
    const clock = vi.spyOn(Date, 'now');
    const engine = createEngine({ rateRules, logins });
    const decisions = Array.from({ length: 5 }, () => {
      const facts = req({ method: 'POST', path: '/login', receivedAt: performance.now() });
      const decision = engine.decide(facts);
      engine.observe(facts, decision, 401, 1);
      return decision.action;
    });
    expect(decisions).toEqual(['allow', 'allow', 'allow', 'block', 'block']);
    // Once to measure the offset to the wall clock; refused requests' events read it for their time.
    expect(clock.mock.calls.length).toBeLessThanOrEqual(1 + 5);
    const withoutArrival = clock.mock.calls.length;
    const other = createEngine({ rateRules, logins });
    for (let i = 0; i < 5; i++) other.observe(req(), other.decide(req()), 200, 1);
    expect(clock.mock.calls.length - withoutArrival).toBeGreaterThanOrEqual(5);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -Infinity])(
    'reads its clock when an adapter gives a broken arrival reading (%s)',
    (receivedAt) => {
      const bruteForce = { limit: 3, windowMs: 60_000 };
      const engine = createEngine({ logins: { ...logins, bruteForce } });
      for (let i = 0; i < 3; i++) {
        const facts = req({ method: 'POST', path: '/login', receivedAt });
        const decision = engine.decide(facts);
        expect(decision.action).toBe('allow');
        engine.observe(facts, decision, 401, 1);
      }
      // The three failures were counted at a real time: the detection fired and bans the client.
      expect(engine.decide(req({ receivedAt }))).toMatchObject({ action: 'block', rule: 'login:brute-force' });
    },
  );

  it('keeps to its own clock when it was given one', () => {
    let now = 1_000_000;
    const engine = createEngine({ rateRules, now: () => now });
    const far = { receivedAt: performance.now() + 3_600_000 };
    for (let i = 0; i < 3; i++) expect(engine.decide(req(far)).action).toBe('allow');
    expect(engine.decide(req(far)).action).toBe('block');
    now += 20_000;
    expect(engine.decide(req(far)).action).toBe('allow');
  });
});

describe('createEngine: bot names on events', () => {
  it.each([
    ['a browser: no name', CHROME, GOOGLE_IP, undefined],
    ['a verified crawler', GOOGLEBOT, GOOGLE_IP, 'Googlebot'],
    ['an impersonator, by the name it claims', GOOGLEBOT, '203.0.113.9', 'Googlebot'],
    ['a scanner', SQLMAP, '203.0.113.9', 'sqlmap'],
  ])('%s', (_name, ua, ip, botName) => {
    const sink = memorySink();
    const engine = createEngine({ sink });
    const facts = req({ ua, ip });
    engine.observe(facts, engine.decide(facts), 200, 1);
    expect(sink.events[0]?.botName).toBe(botName);
    expect(eventSchema.safeParse(sink.events[0]).success).toBe(true);
  });

  it('sanitises a name that a generic pattern took from the user agent', () => {
    const sink = memorySink();
    const engine = createEngine({ sink });
    // isbot's generic patterns name a bot by what they matched: here, text chosen by the client.
    const facts = req({ ua: `evil\u0007\u202e<b>bot</b>${'x'.repeat(100)}/1.0` });
    const decision = engine.decide(facts);
    engine.observe(facts, decision, 200, 1);
    const [event] = sink.events;
    expect(decision.botCategory).not.toBeNull();
    expect(event?.botName).toBeDefined();
    expect(event!.botName!.length).toBeLessThanOrEqual(64);
    // eslint-disable-next-line no-control-regex
    expect(event!.botName).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(eventSchema.safeParse(event).success).toBe(true);
  });

  it('does not classify a user agent too long to be cached a second time: no name', () => {
    const sink = memorySink();
    const engine = createEngine({ sink });
    const facts = req({ ua: `${SQLMAP} ${'a'.repeat(1100)}` });
    engine.observe(facts, engine.decide(facts), 200, 1);
    expect(sink.events[0]?.botCategory).toBe('scanner');
    expect(sink.events[0]?.botName).toBeUndefined();
  });
});
