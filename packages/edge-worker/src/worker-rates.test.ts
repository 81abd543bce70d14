import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fakeOrigin, fakeReportApi, routeFetch } from './test-support/fakes.js';
import { createWorker, type WorkerEnv } from './worker.js';

const rule = (extra: Record<string, unknown> = {}) =>
  JSON.stringify([{ name: 'scrapers', limit: 5, windowMs: 10_000, ...extra }]);

function isolate(
  vars: Partial<WorkerEnv>,
  clock: { now: number },
  shared = { origin: fakeOrigin(), api: fakeReportApi() },
  rateObjectWaitMs?: number,
) {
  const { origin, api } = shared;
  const errors: string[] = [];
  const worker = createWorker({
    fetch: routeFetch(origin, api),
    now: () => clock.now,
    onError: (error, where) => errors.push(`${where}: ${String(error)}`),
    sleep: async () => {},
    ...(rateObjectWaitMs === undefined ? {} : { rateObjectWaitMs }),
  });
  const workerEnv: WorkerEnv = {
    ORIGIN_URL: origin.base,
    REPORT_API_URL: api.base,
    INGEST_KEY: 'test-ingest-key',
    EVENTS_FLUSH_MS: '0',
    EVENTS_BATCH_SIZE: '1',
    ...vars,
  };
  async function send(path: string, ip = '198.51.100.7', method = 'GET', form?: string) {
    const request = new Request(`https://shop.example${path}`, {
      method,
      headers: {
        'cf-connecting-ip': ip,
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { body: form }),
    });
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, workerEnv, ctx);
    await response.text();
    await waitOnExecutionContext(ctx);
    clock.now += 10;
    return response;
  }
  const events = () => api.batches().flatMap((batch) => batch.events);
  return { send, events, errors, shared, origin };
}

describe('rate rules in one isolate', () => {
  it('answers 429 with Retry-After past the limit, records rate:<name>, and leaves other clients alone', async () => {
    const clock = { now: 1_000_000 };
    const edge = isolate({ RATE_RULES: rule({ banMs: 30_000 }) }, clock);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await edge.send('/products?page=' + i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await edge.send('/products');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect((await edge.send('/products', '198.51.100.8')).status).toBe(200);
    const blocked = edge.events().filter((event) => event.rule === 'rate:scrapers');
    expect(blocked.length).toBe(3);
    expect(blocked.every((event) => event.status === 429 && event.action === 'block')).toBe(true);
    // The ban ends after banMs.
    clock.now += 31_000;
    expect((await edge.send('/products')).status).toBe(200);
    expect(edge.errors).toEqual([]);
  });

  it('refuses a banned client only on the requests its rule matches, as the middleware does', async () => {
    const edge = isolate({ RATE_RULES: rule({ match: { paths: ['/catalog'] } }) }, { now: 1_200_000 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await edge.send(`/catalog/${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await edge.send('/catalog/7')).status).toBe(429);
    expect((await edge.send('/about')).status).toBe(200);
  });

  it('counts each path on its own with key ip+path', async () => {
    const edge = isolate({ RATE_RULES: rule({ key: 'ip+path' }) }, { now: 1_300_000 });
    for (let i = 0; i < 5; i++) expect((await edge.send('/a?page=' + i)).status).toBe(200);
    expect((await edge.send('/a')).status).toBe(429);
    expect((await edge.send('/b')).status).toBe(200);
  });

  it('counts IPv6 clients per /64', async () => {
    const edge = isolate({ RATE_RULES: rule() }, { now: 1_500_000 });
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push((await edge.send('/', `2001:db8:5:6::${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await edge.send('/', '2001:db8:5:7::1')).status).toBe(200);
  });

  it('answers a plain 403 without Retry-After when the rule says 403', async () => {
    const edge = isolate({ RATE_RULES: rule({ status: 403 }) }, { now: 2_000_000 });
    let last: Response | null = null;
    for (let i = 0; i < 6; i++) last = await edge.send('/');
    expect(last?.status).toBe(403);
    expect(last?.headers.get('retry-after')).toBeNull();
  });

  it('only counts in count mode, and only requests the rule matches', async () => {
    const edge = isolate(
      { RATE_RULES: rule({ action: 'count', match: { methods: ['GET'], paths: ['/products'] } }) },
      { now: 3_000_000 },
    );
    for (let i = 0; i < 8; i++) expect((await edge.send('/products')).status).toBe(200);
    for (let i = 0; i < 8; i++) await edge.send('/about');
    for (let i = 0; i < 8; i++) await edge.send('/products', '198.51.100.7', 'POST');
    const counted = edge.events().filter((event) => event.rule === 'rate:scrapers');
    expect(counted.length).toBe(3);
    expect(counted.every((event) => event.action === 'count' && event.path === '/products')).toBe(true);
  });

  it('turns a block rule into a count in WATCHPOST_MODE=count', async () => {
    const edge = isolate({ RATE_RULES: rule(), WATCHPOST_MODE: 'count' }, { now: 4_000_000 });
    for (let i = 0; i < 7; i++) expect((await edge.send('/')).status).toBe(200);
    expect(edge.events().filter((event) => event.action === 'count').length).toBe(2);
  });
});

describe('rate rules across isolates (exact, Durable Object)', () => {
  // Just after a 10 s boundary: the engine's windows are aligned to the clock.
  const windowStart = () => Math.ceil(Date.now() / 10_000) * 10_000 + 100;

  it('refuses a client whose requests are spread over two isolates once the sum passes the limit', async () => {
    const clock = { now: windowStart() };
    const vars = { RATE_RULES: rule(), BURSTS: env.BURSTS! };
    const first = isolate(vars, clock);
    const second = isolate(vars, clock, first.shared);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await first.send('/', '192.0.2.77')).status, (await second.send('/', '192.0.2.77')).status);
    }
    // 5 allowed in total, whichever isolate served them; per isolate it would have been 8 allowed.
    expect(statuses.filter((status) => status === 200).length).toBe(5);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Both isolates post to the same fake report API.
    expect(first.events().filter((e) => e.rule === 'rate:scrapers').length).toBe(3);
    expect([...first.errors, ...second.errors]).toEqual([]);
  });

  it('remembers a ban the object decided: a refused client costs no further call', async () => {
    let calls = 0;
    const real = env.BURSTS!;
    const counting = {
      idFromName: (name: string) => real.idFromName(name),
      get: (id: DurableObjectId) => {
        const stub = real.get(id);
        return { rate: (...args: Parameters<typeof stub.rate>) => (calls++, stub.rate(...args)) };
      },
    } as unknown as WorkerEnv['BURSTS'];
    const edge = isolate({ RATE_RULES: rule({ limit: 2, status: 403 }), BURSTS: counting }, { now: windowStart() });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await edge.send('/', '192.0.2.78')).status);
    expect(statuses).toEqual([200, 200, 403, 403, 403]);
    expect(calls).toBe(3);
    expect(edge.events().filter((e) => e.rule === 'rate:scrapers' && e.status === 403)).toHaveLength(3);
    expect(edge.errors).toEqual([]);
  });

  it('lets requests through (fail open) when the Durable Object fails or hangs', async () => {
    const failing = {
      idFromName: () => ({}),
      get: () => ({ rate: () => Promise.reject(new Error('object gone')) }),
    } as unknown as WorkerEnv['BURSTS'];
    const broken = isolate({ RATE_RULES: rule({ limit: 1 }), BURSTS: failing }, { now: Date.now() });
    for (let i = 0; i < 3; i++) expect((await broken.send('/')).status).toBe(200);
    expect(broken.errors).toHaveLength(3);
    expect(broken.errors[0]).toMatch(/rate durable object: Error: object gone/);
    const hanging = {
      idFromName: () => ({}),
      get: () => ({ rate: () => new Promise(() => {}) }),
    } as unknown as WorkerEnv['BURSTS'];
    const slow = isolate({ RATE_RULES: rule({ limit: 1 }), BURSTS: hanging }, { now: Date.now() }, undefined, 20);
    for (let i = 0; i < 2; i++) expect((await slow.send('/')).status).toBe(200);
    expect(slow.errors[0]).toMatch(/no answer within 20 ms/);
  });
});

describe('declared login endpoints', () => {
  it('refuses a client after repeated failed logins (status only) with rule login:brute-force', async () => {
    const logins = { endpoints: [{ method: 'POST', path: '/login' }], bruteForce: { limit: 3, windowMs: 60_000 } };
    const edge = isolate({ LOGINS: JSON.stringify(logins) }, { now: 7_000_000 });
    edge.origin.state.status = 401;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await edge.send('/login', '198.51.100.50', 'POST')).status);
    expect(statuses).toEqual([401, 401, 401, 403, 403]);
    // Failures on another path, or from another client, do not count.
    for (let i = 0; i < 5; i++) expect((await edge.send('/search', '198.51.100.51', 'POST')).status).toBe(401);
    expect((await edge.send('/login', '198.51.100.51', 'POST')).status).toBe(401);
    const refused = edge.events().filter((event) => event.rule === 'login:brute-force');
    expect(refused.map((event) => [event.ip, event.status, event.action])).toEqual([
      ['198.51.100.50', 403, 'block'],
      ['198.51.100.50', 403, 'block'],
    ]);
    expect(edge.events().filter((event) => event.login?.outcome === 'failed').length).toBeGreaterThanOrEqual(4);
    expect(edge.errors).toEqual([]);
  });

  it('reads the account from the body and detects credential stuffing (many accounts, one client)', async () => {
    const logins = {
      endpoints: [{ method: 'POST', path: '/login', accountField: 'username' }],
      stuffing: { limit: 4, windowMs: 60_000 },
      bruteForce: false,
    };
    const key = 'edge-test-account-key-0123456789';
    const edge = isolate({ LOGINS: JSON.stringify(logins), LOGIN_ACCOUNT_KEY: key }, { now: 8_000_000 });
    edge.origin.state.status = 401;
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await edge.send('/login', '198.51.100.60', 'POST', `username=user${i}%40example.com&p=x`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 403, 403]);
    // The origin still got every allowed body whole.
    expect(edge.origin.seen.map((seen) => seen.body).slice(0, 4)).toEqual(
      [0, 1, 2, 3].map((i) => `username=user${i}%40example.com&p=x`),
    );
    const attempts = edge.events().filter((event) => event.login?.outcome === 'failed');
    const accounts = new Set(attempts.map((event) => event.login?.account));
    expect(accounts.size).toBe(4);
    expect([...accounts].every((account) => /^[0-9a-f]{32}$/.test(String(account)))).toBe(true);
    expect(JSON.stringify(edge.events())).not.toContain('example.com');
    expect(edge.events().filter((event) => event.rule === 'login:credential-stuffing')).toHaveLength(2);
    // The same failures without LOGIN_ACCOUNT_KEY carry no account, and stuffing stays silent.
    const blind = isolate({ LOGINS: JSON.stringify(logins) }, { now: 9_000_000 });
    blind.origin.state.status = 401;
    for (let i = 0; i < 6; i++) {
      expect((await blind.send('/login', '198.51.100.61', 'POST', `username=user${i}&p=x`)).status).toBe(401);
    }
    expect(blind.events().every((event) => event.login?.account === null)).toBe(true);
    expect(edge.errors).toEqual([]);
  });
});
