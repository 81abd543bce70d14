import { afterEach, describe, expect, it } from 'vitest';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';
import type { DailyReport } from './types.js';
import { reportToMarkdown } from './markdown.js';

const T = Date.UTC(2026, 11, 4, 9);
const none = { requests: 0, blocked: 0 };
let t: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('the report’s bot activity', () => {
  it('shows AI traffic, impersonators with their addresses, and who fetched robots.txt', async () => {
    t = tempStore(() => T);
    const a = await appWithSite(t.store, {}, () => T);
    const at = (i: number) => T - 3_600_000 + i * 1000;
    const events = [
      ...Array.from({ length: 10 }, (_, i) =>
        event({ ts: at(i), ua: 'GPTBot/1.2', botCategory: 'ai-crawler', botName: 'GPTBot', path: `/p${i}` }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        event({
          ts: at(20 + i),
          ua: 'Claude-User/1.0',
          botCategory: 'ai-assistant',
          botName: '<img src=x>*Claude*',
          action: 'block',
          rule: 'bot:ai-assistant',
          status: 403,
        }),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        event({
          ts: at(30 + i),
          ip: '198.51.100.66',
          country: 'RU',
          ua: 'Googlebot/2.1 <b>x</b>',
          botCategory: 'impersonator',
          botName: 'Googlebot',
          action: 'block',
          rule: 'bot:impersonator',
          status: 403,
        }),
      ),
      ...Array.from({ length: 2 }, (_, i) =>
        event({
          ts: at(35 + i),
          ip: '66.249.66.1',
          ua: 'Googlebot/2.1',
          botCategory: 'search-engine',
          botName: 'Googlebot',
        }),
      ),
      event({ ts: at(40), ua: 'GPTBot/1.2', botCategory: 'ai-crawler', path: '/robots.txt' }),
      event({ ts: at(41), ua: 'Mozilla/5.0', path: '/robots.txt' }),
    ];
    expect((await a.app.request('/v1/events', post(a.ingestKey, batch(events)))).status).toBe(202);
    const res = await a.app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${a.adminKey}` },
    });
    const report = (await res.json()) as DailyReport;
    expect(report.botActivity).toEqual({
      ai: {
        requests: 15,
        blocked: 4,
        byCategory: expect.arrayContaining([
          { category: 'ai-crawler', requests: 11, blocked: 0 },
          { category: 'ai-assistant', requests: 4, blocked: 4 },
        ]),
        userAgents: [
          { ua: 'GPTBot/1.2', category: 'ai-crawler', requests: 11, blocked: 0 },
          { ua: 'Claude-User/1.0', category: 'ai-assistant', requests: 4, blocked: 4 },
        ],
      },
      impersonators: {
        requests: 3,
        clients: [
          { ip: '198.51.100.66', country: 'RU', ua: 'Googlebot/2.1 <b>x</b>', requests: 3, blocked: 3, rdns: null },
        ],
      },
      robotsTxt: {
        fetches: 2,
        fetchers: [
          { ua: 'GPTBot/1.2', botCategory: 'ai-crawler', requests: 1 },
          { ua: 'Mozilla/5.0', botCategory: null, requests: 1 },
        ],
      },
      // The impersonators are counted apart under the name they claimed; GPTBot's row is checked
      // too (OpenAI publishes its addresses), Claude-User's name is not one whose claims can be.
      byName: [
        { name: 'GPTBot', category: 'ai-crawler', requests: 10, blocked: 0, checked: true, impersonated: none },
        {
          name: 'Googlebot',
          category: 'search-engine',
          requests: 2,
          blocked: 0,
          checked: true,
          impersonated: { requests: 3, blocked: 3 },
        },
        {
          name: '<img src=x>*Claude*',
          category: 'ai-assistant',
          requests: 4,
          blocked: 4,
          checked: false,
          impersonated: none,
        },
      ],
    });
    const markdown = reportToMarkdown(report);
    expect(markdown).toContain('*AI crawlers and agents*: 15 requests, 4 blocked');
    expect(markdown).toContain('*Impersonated crawlers*: 3 requests');
    expect(markdown).not.toContain('<b>');
    expect(markdown).toContain('*Bots by name*');
    // A name is traffic text: escaped like the user agents, no markup or emphasis of its own.
    expect(markdown).toContain('• \\<img src\\=x\\>\\*Claude\\* (ai-assistant): 4 requests, 4 blocked');
    expect(markdown).toContain(
      '• Googlebot (search-engine, verified): 2 requests, 0 blocked; impersonated 3 times, 3 blocked',
    );
  });

  it('recommends an impersonator for the deny list, naming the crawler it claimed', async () => {
    t = tempStore(() => T);
    const a = await appWithSite(t.store, {}, () => T);
    const fake = (i: number, ip: string, ua: string) =>
      event({ ts: T - 5000 + i, ip, ua, botCategory: 'impersonator', botName: 'Googlebot' });
    const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    const claims = [
      fake(0, '198.51.100.66', googlebot),
      fake(1, '198.51.100.66', googlebot),
      // Sent as an impersonator by a hostile sender, with a user agent that names no such crawler.
      fake(2, '198.51.100.67', '<b>*evilbot*</b>'),
    ];
    await a.app.request('/v1/events', post(a.ingestKey, batch(claims)));
    const res = await a.app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${a.adminKey}` },
    });
    const report = (await res.json()) as DailyReport;
    const of = (ip: string) => report.recommendations.find((r) => r.ip === ip);
    expect(of('198.51.100.66')).toMatchObject({
      kinds: ['impersonator'],
      reasons: ['claimed to be Googlebot from outside its published addresses (2 requests)'],
    });
    // A name only from the bot table, never the client's text.
    expect(of('198.51.100.67')?.reasons).toEqual([
      'claimed to be a verified crawler from outside its published addresses (1 requests)',
    ]);
  });

  it('is there for a day with named bots only', async () => {
    t = tempStore(() => T);
    const a = await appWithSite(t.store, {}, () => T);
    const bingbot = event({ ts: T - 1000, ua: 'bingbot/2.0', botCategory: 'search-engine', botName: 'Bingbot' });
    await a.app.request('/v1/events', post(a.ingestKey, batch([bingbot])));
    const res = await a.app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${a.adminKey}` },
    });
    expect(((await res.json()) as DailyReport).botActivity?.byName).toEqual([
      { name: 'Bingbot', category: 'search-engine', requests: 1, blocked: 0, checked: true, impersonated: none },
    ]);
  });

  it('lists a name seen only from impersonators, as impersonator', async () => {
    t = tempStore(() => T);
    const a = await appWithSite(t.store, {}, () => T);
    const fake = event({ ts: T - 1000, ua: 'Applebot/0.1', botCategory: 'impersonator', botName: 'Applebot' });
    await a.app.request('/v1/events', post(a.ingestKey, batch([fake, { ...fake, ts: T - 900 }])));
    const res = await a.app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${a.adminKey}` },
    });
    expect(((await res.json()) as DailyReport).botActivity?.byName).toEqual([
      {
        name: 'Applebot',
        category: 'impersonator',
        requests: 0,
        blocked: 0,
        checked: true,
        impersonated: { requests: 2, blocked: 0 },
      },
    ]);
  });

  it('is absent on a day without AI traffic, impersonators or robots.txt', async () => {
    t = tempStore(() => T);
    const a = await appWithSite(t.store, {}, () => T);
    await a.app.request('/v1/events', post(a.ingestKey, batch([event({ ts: T - 1000 })])));
    const res = await a.app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${a.adminKey}` },
    });
    expect(((await res.json()) as DailyReport).botActivity).toBeUndefined();
  });

  it('with a crawler verifier, says whether each impersonator passes reverse DNS', async () => {
    t = tempStore(() => T);
    const { createApp } = await import('../app.js');
    const checked: string[] = [];
    const app = createApp({
      store: t.store,
      now: () => T,
      logError: () => undefined,
      verifyCrawler: async (ip, ua) => (
        checked.push(`${ip} ${ua}`),
        { state: 'verified', host: 'crawl-x.googlebot.com' }
      ),
    });
    const { ingestKey, adminKey } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const fake = event({
      ts: T - 1000,
      ip: '66.249.90.1',
      ua: 'Googlebot/2.1',
      botCategory: 'impersonator',
      action: 'block',
    });
    await app.request('/v1/events', post(ingestKey, batch([fake])));
    const res = await app.request('/v1/reports/daily?date=2026-12-04', {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const report = (await res.json()) as DailyReport;
    expect(report.botActivity?.impersonators.clients[0]?.rdns).toEqual({
      state: 'verified',
      host: 'crawl-x.googlebot.com',
    });
    expect(checked).toEqual(['66.249.90.1 Googlebot/2.1']);
    // A real crawler on a range not yet published is no evidence for the deny list.
    expect(report.recommendations.some((r) => r.kinds.includes('impersonator'))).toBe(false);
  });
});
