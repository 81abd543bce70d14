import { afterEach, describe, expect, it } from 'vitest';
import { storeDashboardData } from '../dashboard/data.js';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';

const T = Date.UTC(2026, 11, 4, 9);
const DATE = '2026-12-04';
const IP = '203.0.113.7';
const FORMULA_UA = '=HYPERLINK("http://evil.example","x")';
let t: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function setup() {
  t = tempStore(() => T);
  const a = await appWithSite(t.store, { name: 'a' }, () => T);
  const b = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
  const events = [
    ...Array.from({ length: 3 }, () => event({ ts: T - 60_000, ip: IP, path: '/login', status: 401 })),
    event({ ts: T - 30_000, ip: IP, path: '/x', status: 404, ua: '@SUM(A1)' }),
    event({ ts: T - 20_000, ip: IP, path: '/y', status: 404, ua: FORMULA_UA }),
    event({ ts: T - 10_000, ip: '198.51.100.9', country: null, path: '/login', status: 200 }),
    ...Array.from({ length: 2 }, (_, i) =>
      event({
        ts: T - 5_000 + i,
        ip: '192.0.2.50',
        path: `/docs/${i}`,
        ua: 'GPTBot/1.2',
        botCategory: 'ai-crawler',
        botName: 'GPTBot',
      }),
    ),
    event({
      ts: T - 4_000,
      ip: '192.0.2.51',
      path: '/robots.txt',
      status: 403,
      action: 'block',
      rule: 'bot:other-bot',
      ua: '<b>x</b>bot',
      botCategory: 'other-bot',
      botName: '<b>x</b>',
    }),
  ];
  const ingested = await a.app.request('/v1/events', post(a.ingestKey, batch(events)));
  expect(ingested.status).toBe(202);
  const get = (key: string, path: string, headers: Record<string, string> = {}) =>
    a.app.request(path, { headers: { authorization: `Bearer ${key}`, ...headers } });
  return { a, b, get };
}

describe('GET /v1/sites/:id/{ip,country,path}', () => {
  it('answers the same numbers as the dashboard pages', async () => {
    const { a, get } = await setup();
    const data = storeDashboardData(t!.store, { now: () => T });
    const site = (await data.getSite(a.site.id))!;
    const ip = await get(a.adminKey, `/v1/sites/${a.site.id}/ip?ip=${IP}&date=${DATE}`);
    expect(ip.status).toBe(200);
    const body = (await ip.json()) as { totals: { requests: number; errors4xx: number } };
    expect(body).toEqual(JSON.parse(JSON.stringify(await data.ipDetail(site, IP, DATE))));
    expect(body.totals).toMatchObject({ requests: 5, errors4xx: 5 });
    expect(body.totals.requests).toBe(5);
    const country = await (await get(a.adminKey, `/v1/sites/${a.site.id}/country?code=unknown`)).json();
    expect(country).toEqual(JSON.parse(JSON.stringify(await data.countryDetail(site, null, DATE))));
    const path = await (await get(a.adminKey, `/v1/sites/${a.site.id}/path?path=%2Flogin&date=${DATE}`)).json();
    expect(path).toEqual(JSON.parse(JSON.stringify(await data.pathDetail(site, '/login', DATE))));
    expect((path as { totals: { requests: number } }).totals.requests).toBe(4);
    const bot = await (await get(a.adminKey, `/v1/sites/${a.site.id}/bot?name=GPTBot&date=${DATE}`)).json();
    expect(bot).toEqual(JSON.parse(JSON.stringify(await data.botDetail(site, 'GPTBot', DATE))));
    expect(bot).toMatchObject({
      name: 'GPTBot',
      totals: { requests: 2 },
      categories: [{ category: 'ai-crawler', requests: 2, blocked: 0 }],
      ips: [{ ip: '192.0.2.50', requests: 2 }],
      userAgents: [{ ua: 'GPTBot/1.2', requests: 2, blocked: 0 }],
    });
    const hostile = await (await get(a.adminKey, `/v1/sites/${a.site.id}/bot?name=%3Cb%3Ex%3C%2Fb%3E`)).json();
    expect(hostile).toMatchObject({ name: '<b>x</b>', totals: { requests: 1, blocked: 1 } });
  });

  it('exports any table as CSV, and traffic text never becomes a formula', async () => {
    const { a, get } = await setup();
    const res = await get(a.adminKey, `/v1/sites/${a.site.id}/ip?ip=${IP}&date=${DATE}&table=paths`, {
      accept: 'text/csv',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="ip-${DATE}-paths.csv"`);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('path,errors4xx,errors5xx,requests,blocked');
    expect(lines).toContain('/login,3,0,3,0');
    expect(lines).toContain('/x,1,0,1,0');
    const uas = await (
      await get(a.adminKey, `/v1/sites/${a.site.id}/ip?ip=${IP}&date=${DATE}&table=userAgents&format=csv`)
    ).text();
    expect(uas.split('\n')).toContain(`"'${FORMULA_UA.replaceAll('"', '""')}",,1,0`);
    expect(uas.split('\n')).toContain("'@SUM(A1),,1,0");
  });

  it('names the tables when the one asked for is missing or unknown', async () => {
    const { a, get } = await setup();
    for (const query of ['', '&table=nope', '&table=__proto__', '&table=totals']) {
      const res = await get(a.adminKey, `/v1/sites/${a.site.id}/ip?ip=${IP}${query}`, { accept: 'text/csv' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { details: Array<{ message: string }> };
      expect(body.details[0]!.message).toBe('one of: timeline, countries, paths, userAgents, statuses, decisions');
    }
  });

  it('refuses bad parameters, another tenant’s site and an ingest key', async () => {
    const { a, b, get } = await setup();
    const base = `/v1/sites/${a.site.id}`;
    for (const [path, field] of [
      [`${base}/ip?ip=203.0.113.999`, 'ip'],
      [`${base}/ip`, 'ip'],
      [`${base}/ip?ip=${IP}&date=2026-02-30`, 'date'],
      [`${base}/country?code=jp`, 'code'],
      [`${base}/path?path=`, 'path'],
      [`${base}/path?path=${'a'.repeat(5000)}`, 'path'],
      [`${base}/bot`, 'name'],
      [`${base}/bot?name=${'b'.repeat(65)}`, 'name'],
      [`${base}/bot?name=a%1Bb`, 'name'],
    ] as const) {
      const res = await get(a.adminKey, path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { details: Array<{ path: string }> }).details[0]!.path).toBe(field);
    }
    expect((await get(a.adminKey, `/v1/sites/${b.site.id}/ip?ip=${IP}`)).status).toBe(404);
    expect((await get(b.adminKey, `${base}/ip?ip=${IP}`)).status).toBe(404);
    expect((await get(a.ingestKey, `${base}/ip?ip=${IP}`)).status).toBe(403);
    // Another tenant's site, and a bot of this one asked through the other's key.
    expect((await get(a.adminKey, `/v1/sites/${b.site.id}/bot?name=GPTBot`)).status).toBe(404);
    expect((await get(b.adminKey, `${base}/bot?name=GPTBot`)).status).toBe(404);
  });
});

describe('CSV of the daily report and the audit log', () => {
  it('exports a report table and the audit entries', async () => {
    const { a, get } = await setup();
    const report = await get(a.adminKey, `/v1/reports/daily?date=${DATE}&table=topIps`, { accept: 'text/csv' });
    const listed = report.status === 400 ? ((await report.json()) as { details: Array<{ message: string }> }) : null;
    const table = listed ? listed.details[0]!.message.replace('one of: ', '').split(', ')[0]! : 'topIps';
    const csv = await get(a.adminKey, `/v1/reports/daily?date=${DATE}&table=${table}`, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const json = await get(a.adminKey, `/v1/reports/daily?date=${DATE}`, { accept: 'application/json' });
    expect(json.headers.get('content-type')).toMatch(/application\/json/);

    await a.app.request('/v1/denylist', post(a.adminKey, { value: '192.0.2.1', reason: '=cmd|" /C calc"!A0' }));
    const audit = await get(a.adminKey, `/v1/sites/${a.site.id}/audit?table=entries`, { accept: 'text/csv' });
    expect(audit.status).toBe(200);
    const text = await audit.text();
    expect(text.split('\n')[0]).toBe(
      'id,siteId,at,actor.kind,actor.label,actor.keyId,action,target,reason,before,after.id,after.value,' +
        'after.reason,after.source,after.expiresAt,after.createdAt',
    );
    expect(text).toContain(`"'=cmd|"" /C calc""!A0"`);
  });
});
