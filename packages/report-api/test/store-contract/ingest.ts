import { describe, expect, it } from 'vitest';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

/** Store contract: ingest. */
export function ingestContract({ fresh, reopen }: ContractContext): void {
  describe('ingest', () => {
    it('stores a batch once and keeps batch ids per site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const sent = batch([event(), event({ ip: '198.51.100.1' })]);
      expect(await store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
      expect(await store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 0, duplicate: true });
      // The same batch id at another site is that site's own batch.
      expect(await store.ingestBatch(b.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
      expect(await store.listEvents(a.site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(2);
      const buckets = await store.trafficBuckets(a.site.id, 0, T * 2);
      expect(buckets.reduce((s, x) => s + x.requests, 0)).toBe(2);
    });

    it('stores a batch sent five times at once exactly once, rollups included', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const sent = batch([event(), event({ status: 503 })]);
      const answers = await Promise.all(Array.from({ length: 5 }, () => store.ingestBatch(site.id, sent)));
      expect(answers.filter((a) => !a.duplicate)).toEqual([{ accepted: 2, duplicate: false }]);
      expect(await store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(2);
      expect(
        (await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 5 }))[0],
      ).toMatchObject({ requests: 2, s5xx: 1 });
    });

    it('refuses a batch for an unknown site', async () => {
      const store = await fresh();
      await expect(store.ingestBatch('site_missing', batch([event()]))).rejects.toThrow(/unknown site/);
    });

    it('keeps each batch atomic: a failing one rolls back alone, id included, and can be retried', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const good1 = batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1' })]);
      // A NOT NULL violation inside the database, past validation: the second event fails after the first.
      const broken = batch([event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2', method: null as unknown as string })]);
      const good2 = batch([event({ ip: '192.0.2.3' })]);
      const settled = await Promise.allSettled([
        store.ingestBatch(site.id, good1),
        store.ingestBatch(site.id, broken),
        store.ingestBatch(site.id, good2),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const ips = async () =>
        (await store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).map((e) => e.ip).sort();
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.3']);
      expect(
        (await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 }))
          .map((r) => r.key)
          .sort(),
      ).toEqual(['192.0.2.1', '192.0.2.3']);
      const fixed = { ...broken, events: [event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2' })] };
      expect(await store.ingestBatch(site.id, fixed)).toEqual({ accepted: 2, duplicate: false });
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3']);
    });

    it(
      'finishes an ingest in flight when closed: the promise resolves and the data is there after ' + 'reopening',
      async () => {
        const store = await fresh();
        const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
        const pending = store.ingestBatch(site.id, batch([event()]));
        await store.close();
        expect(await pending).toEqual({ accepted: 1, duplicate: false });
        const reopened = await reopen();
        expect(await reopened.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toHaveLength(1);
      },
    );

    it('keeps every event field as sent, asn included', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const sent = event({
        ts: T,
        ip: '2001:db8::1',
        country: null,
        method: 'POST',
        host: 'h.example',
        path: '/a?',
        status: 0,
        latencyMs: 12.5,
        ua: 'curl/8',
        action: 'count',
        rule: 'probe-x',
        botCategory: 'http-client',
        sampleRate: 0.25,
        asn: 4_200_000_000,
      });
      await store.ingestBatch(site.id, batch([sent, event({ ts: T + 1 })]));
      const [, stored] = await store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 });
      expect(stored).toEqual({ ...sent, id: expect.any(Number), siteId: site.id });
      const [latest] = await store.listEvents(site.id, { from: 0, to: T * 2, limit: 1 });
      expect(latest).toMatchObject({ ts: T + 1, asn: null });
    });

    it('keeps login attempts: outcome and hashed account, or none', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const account = 'a'.repeat(32);
      const failed = event({ ts: T + 2, path: '/login', status: 401, login: { outcome: 'failed', account } });
      const success = event({ ts: T + 1, path: '/login', status: 200, login: { outcome: 'success', account: null } });
      await store.ingestBatch(site.id, batch([failed, success, event({ ts: T })]));
      const stored = await store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 });
      expect(stored.map((e) => e.login ?? null)).toEqual([
        { outcome: 'failed', account },
        { outcome: 'success', account: null },
        null,
      ]);
    });

    it('lists only login attempts, or only rate-rule events, with kind', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const login = event({ ts: T + 1, path: '/login', status: 401, login: { outcome: 'failed', account: null } });
      const rate = event({ ts: T + 2, action: 'block', rule: 'rate:scrapers', status: 429 });
      const other = event({ ts: T + 3, action: 'block', rule: 'bot:scanner', status: 403 });
      await store.ingestBatch(site.id, batch([login, rate, other, event({ ts: T + 4 })]));
      const range = { from: 0, to: T * 2, limit: 10 };
      expect((await store.listKind(site.id, { ...range, kind: 'login' })).map((e) => e.ts)).toEqual([T + 1]);
      expect((await store.listKind(site.id, { ...range, kind: 'rate' })).map((e) => e.rule)).toEqual(['rate:scrapers']);
    });

    it('lists a kind with the fields its sections read, newest first, within the site', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: 'JP' });
      const other = (await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null })).site;
      const account = 'a'.repeat(32);
      await store.ingestBatch(
        site.id,
        batch([
          event({ ts: T + 1, ip: '203.0.113.7', country: 'NL', login: { outcome: 'failed', account } }),
          event({ ts: T + 2, ip: '203.0.113.8', country: null, login: { outcome: 'success', account: null } }),
          event({ ts: T + 3, action: 'block', rule: 'rate:scrapers', status: 429, sampleRate: 1 }),
          event({ ts: T + 4, action: 'count', rule: 'rate:api', sampleRate: 0.5 }),
          event({ ts: T + 5, action: 'block', rule: 'bot:scanner', status: 403 }),
        ]),
      );
      await store.ingestBatch(other.id, batch([event({ ts: T + 1, login: { outcome: 'failed', account } })]));
      const range = { from: 0, to: T * 2, limit: 10 };
      expect(await store.listKind(site.id, { ...range, kind: 'login' })).toEqual([
        {
          ts: T + 2,
          ip: '203.0.113.8',
          country: null,
          sampleRate: 1,
          action: 'allow',
          rule: null,
          login: { outcome: 'success', account: null },
        },
        {
          ts: T + 1,
          ip: '203.0.113.7',
          country: 'NL',
          sampleRate: 1,
          action: 'allow',
          rule: null,
          login: { outcome: 'failed', account },
        },
      ]);
      const rated = await store.listKind(site.id, { ...range, kind: 'rate' });
      expect(rated.map((e) => [e.ts, e.action, e.rule, e.sampleRate, 'login' in e])).toEqual([
        [T + 4, 'count', 'rate:api', 0.5, false],
        [T + 3, 'block', 'rate:scrapers', 1, false],
      ]);
      expect(await store.listKind(site.id, { ...range, kind: 'rate', limit: 1 })).toHaveLength(1);
      expect(await store.listKind(site.id, { from: T + 3, to: T + 4, kind: 'rate', limit: 10 })).toHaveLength(1);
    });

    it("finds a client's busiest minute from all its events, sample-weighted, within the site and range", async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const other = (await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null })).site;
      const ip = '203.0.113.7';
      const minute = Math.floor(T / 60_000) * 60_000 + 60_000;
      // The busiest minute comes first; 10,200 later events (340 a minute) would hide it from a
      // look at the newest 10,000.
      const early = Array.from({ length: 600 }, (_, i) => event({ ts: minute + i * 50, ip }));
      const later = Array.from({ length: 10_200 }, (_, i) =>
        event({ ts: minute + 120_000 + Math.floor(i / 340) * 60_000 + (i % 340) * 100, ip }),
      );
      const sampled = [event({ ts: minute + 60_000, ip, sampleRate: 0.001 })]; // weighs 1,000 alone
      const all = [...early, ...later];
      for (let i = 0; i < all.length; i += 1000) await store.ingestBatch(site.id, batch(all.slice(i, i + 1000)));
      const query = { from: 0, to: T * 2, ip };
      expect(await store.peakMinute(site.id, query)).toEqual({ minute, requests: 600 });
      await store.ingestBatch(site.id, batch(sampled));
      expect(await store.peakMinute(site.id, query)).toEqual({ minute: minute + 60_000, requests: 1000 });
      expect(await store.peakMinute(site.id, { ...query, to: minute + 60_000 })).toEqual({ minute, requests: 600 });
      expect(await store.peakMinute(site.id, { ...query, ip: '198.51.100.1' })).toBeNull();
      expect(await store.peakMinute(other.id, query)).toBeNull();
      expect(await store.peakMinute(site.id, { ...query, from: T * 3, to: T * 4 })).toBeNull();
    });

    it("names a client's probed paths, newest first, within the site, range and its first 1,000 probes", async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const other = (await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null })).site;
      const ip = '203.0.113.8';
      const minute = Math.floor(T / 60_000) * 60_000;
      const probe = (ts: number, path: string) =>
        event({ ts, ip, path, status: 403, action: 'block', rule: 'probe:env' });
      // 1,200 probes of one path in the latest minutes hide an older probe of another path.
      const events = [
        probe(minute, '/old/.git/config'),
        event({ ts: minute + 1, ip, path: '/not-a-probe' }),
        probe(minute + 60_000, '/.env'),
        probe(minute + 120_000, '/wp-login.php'),
        ...Array.from({ length: 1_200 }, (_, i) => probe(minute + 180_000 + i * 10, '/.aws/credentials')),
        event({ ts: minute + 200_000, ip: '198.51.100.2', path: '/other-client/.env', rule: 'probe:env' }),
      ];
      for (let i = 0; i < events.length; i += 1000) await store.ingestBatch(site.id, batch(events.slice(i, i + 1000)));
      await store.ingestBatch(other.id, batch([probe(minute + 300_000, '/other-site/.env')]));
      const query = { from: 0, to: T * 2, ip, limit: 3 };
      expect(await store.probedPaths(site.id, query)).toEqual(['/.aws/credentials']);
      const before = { ...query, to: minute + 180_000 };
      expect(await store.probedPaths(site.id, before)).toEqual(['/wp-login.php', '/.env', '/old/.git/config']);
      expect(await store.probedPaths(site.id, { ...before, limit: 2 })).toEqual(['/wp-login.php', '/.env']);
      expect(await store.probedPaths(site.id, { ...before, limit: 1_000 })).toHaveLength(3);
      expect(await store.probedPaths(other.id, { ...query, ip: '198.51.100.2' })).toEqual([]);
      expect(await store.probedPaths(site.id, { ...query, from: T * 3, to: T * 4 })).toEqual([]);
    });

    it('groups the clients over rate rules, refused most first, with totals over all of them', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const other = (await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null })).site;
      const rate = (ts: number, ip: string, action: 'block' | 'count', rule: string, sampleRate = 1) =>
        event({ ts, ip, action, rule: `rate:${rule}`, status: action === 'block' ? 429 : 200, sampleRate });
      await store.ingestBatch(
        site.id,
        batch([
          rate(T + 1, '192.0.2.1', 'block', 'per-ip'),
          rate(T + 5, '192.0.2.1', 'block', 'api'),
          rate(T + 9, '192.0.2.1', 'count', 'per-ip', 0.5),
          rate(T + 2, '192.0.2.2', 'count', 'crawlers', 0.25),
          rate(T + 3, '192.0.2.3', 'block', 'per-ip'),
          rate(T + 4, '192.0.2.4', 'block', 'per-ip'),
          event({ ts: T + 6, ip: '192.0.2.5', action: 'block', rule: 'bot:scanner', status: 403 }),
        ]),
      );
      await store.ingestBatch(other.id, batch([rate(T + 1, '198.51.100.1', 'block', 'per-ip')]));
      const range = { from: 0, to: T * 2, limit: 3 };
      const { clients, totals } = await store.rateLimitedClients(site.id, range);
      expect(totals).toEqual({ clients: 4, refused: 4, counted: 6 });
      expect(clients).toEqual([
        {
          ...{ ip: '192.0.2.1', country: 'JP', rules: ['api', 'per-ip'], refused: 2, counted: 2 },
          ...{ firstRefused: T + 1, lastRefused: T + 5 },
        },
        {
          ip: '192.0.2.3',
          country: 'JP',
          rules: ['per-ip'],
          refused: 1,
          counted: 0,
          firstRefused: T + 3,
          lastRefused: T + 3,
        },
        {
          ip: '192.0.2.4',
          country: 'JP',
          rules: ['per-ip'],
          refused: 1,
          counted: 0,
          firstRefused: T + 4,
          lastRefused: T + 4,
        },
      ]);
      const all = await store.rateLimitedClients(site.id, { ...range, limit: 10 });
      expect(all.clients.at(-1)).toEqual({
        ...{ ip: '192.0.2.2', country: 'JP', rules: ['crawlers'], refused: 0, counted: 4 },
        ...{ firstRefused: null, lastRefused: null },
      });
      expect(await store.rateLimitedClients(site.id, { from: T + 2, to: T + 4, limit: 10 })).toMatchObject({
        totals: { clients: 2, refused: 1, counted: 4 },
      });
      // A sender making up rule names gets 20 of them listed.
      const many = Array.from({ length: 30 }, (_, i) =>
        rate(T + 7, '192.0.2.9', 'block', `r${String(i).padStart(2, '0')}`),
      );
      await store.ingestBatch(site.id, batch(many));
      const [made] = (await store.rateLimitedClients(site.id, { ...range, limit: 1 })).clients;
      expect(made).toMatchObject({ ip: '192.0.2.9', refused: 30 });
      expect(made!.rules).toEqual(Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`));
      expect(await store.rateLimitedClients(site.id, { from: T * 3, to: T * 4, limit: 10 })).toEqual({
        clients: [],
        totals: { clients: 0, refused: 0, counted: 0 },
      });
    });
  });
}
