import { afterEach, describe, expect, it } from 'vitest';
import type { AuditPage } from '../db/audit.js';
import type { Case } from '../db/cases.js';
import { reportToMarkdown } from '../reports/markdown.js';
import type { DailyReport } from '../reports/types.js';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 11, 4, 9);
const SCANNER = '203.0.113.7';
const PROBER = '198.51.100.9';
let t: ReturnType<typeof tempStore> | undefined;
let now = T;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  now = T;
});

/** 25 404s from `ip` an hour before `at`: enough for the report to recommend it (high-4xx). */
const burstOf404 = (ip: string, at: number, path = '/missing') =>
  Array.from({ length: 25 }, (_, i) => event({ ts: at - 3_600_000 + i * 1000, ip, path, status: 404 }));

async function setup() {
  t = tempStore(() => now);
  const a = await appWithSite(t.store, { name: 'a' }, () => now);
  const b = await appWithSite(t.store, { name: 'b' }, () => now);
  const ingest = async (events: ReturnType<typeof event>[]) =>
    expect((await a.app.request('/v1/events', post(a.ingestKey, batch(events)))).status).toBe(202);
  const call = (method: string, path: string, body?: unknown, key = a.adminKey) =>
    a.app.request(
      path,
      body === undefined ? { method, headers: { authorization: `Bearer ${key}` } } : { ...post(key, body), method },
    );
  const base = `/v1/sites/${a.site.id}/cases`;
  const list = async (query = '') => ((await (await call('GET', `${base}${query}`)).json()) as { cases: Case[] }).cases;
  return { a, b, ingest, call, base, list };
}

describe('/v1/sites/:id/cases', () => {
  it('turns the day’s recommendations into cases, and a deny with an expiry reaches the deny list', async () => {
    const { a, ingest, call, base, list } = await setup();
    await ingest([...burstOf404(SCANNER, T), ...burstOf404(PROBER, T, '/.env')]);
    const cases = await list();
    expect(cases.map((c) => c.client).sort()).toEqual([PROBER, SCANNER].sort());
    const scanner = cases.find((c) => c.client === SCANNER)!;
    expect(scanner).toMatchObject({ state: 'new', firstDay: '2026-12-04', lastDay: '2026-12-04', decision: null });
    expect(scanner.kinds).toContain('high-4xx');
    expect(scanner.evidence['2026-12-04']!.reasons.length).toBeGreaterThan(0);

    const res = await call('POST', `${base}/${scanner.id}/decision`, {
      action: 'deny',
      expiry: '7d',
      reason: 'scanner',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'denied',
      decision: { expiresAt: T + 7 * DAY, reason: 'scanner' },
    });
    const denyList = (await (await call('GET', '/v1/denylist')).json()) as {
      entries: Array<{ value: string; expiresAt: number | null }>;
    };
    expect(denyList.entries).toEqual([expect.objectContaining({ value: SCANNER, expiresAt: T + 7 * DAY })]);
    const audit = (await (await call('GET', `/v1/sites/${a.site.id}/audit`)).json()) as AuditPage;
    expect(audit.entries.map((e) => e.action)).toEqual(['denylist.add', 'case.deny']);
    expect(audit.entries[1]).toMatchObject({ target: scanner.id, reason: 'scanner', actor: { kind: 'key' } });
    // Decided cases leave the default (open) list; a deny decided a second time adds no second entry.
    expect((await list()).map((c) => c.client)).toEqual([PROBER]);
    await call('POST', `${base}/${scanner.id}/decision`, { action: 'deny', expiry: 'forever' });
    expect(((await (await call('GET', '/v1/denylist')).json()) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it('reopens a dismissed case when the client returns on a later day, not on the same evidence', async () => {
    const { ingest, call, base, list } = await setup();
    await ingest(burstOf404(PROBER, T, '/.env'));
    const [probe] = await list();
    const missingNote = await call('POST', `${base}/${probe!.id}/decision`, { action: 'dismiss', reason: '' });
    expect(missingNote.status).toBe(400);
    const dismissed = await call('POST', `${base}/${probe!.id}/decision`, {
      action: 'dismiss',
      reason: 'our monitoring',
    });
    expect(await dismissed.json()).toMatchObject({ state: 'dismissed' });
    // The same day's evidence again: it stays dismissed.
    now = T + 10 * 60_000;
    expect(await (await call('POST', `${base}/refresh?date=2026-12-04`)).json()).toMatchObject({ reopened: 0 });
    expect(await list()).toEqual([]);
    // The next day it is back.
    now = T + DAY;
    await ingest(burstOf404(PROBER, now, '/.env'));
    const [back] = await list();
    expect(back).toMatchObject({ id: probe!.id, state: 'new', reopenedAt: now, lastDay: '2026-12-05' });
    expect(Object.keys(back!.evidence)).toEqual(['2026-12-04', '2026-12-05']);
    expect(back!.decision).toMatchObject({ reason: 'our monitoring', day: '2026-12-04' });
  });

  it('allows a client: its exact deny entry goes, it leaves the recommendations, the case stays allowed', async () => {
    const { ingest, call, base, list } = await setup();
    await ingest(burstOf404(SCANNER, T));
    const [c] = await list();
    await call('POST', `${base}/${c!.id}/decision`, { action: 'deny', expiry: '1d' });
    const before = (await (await call('GET', '/v1/denylist')).json()) as { version: string };
    const allowed = await call('POST', `${base}/${c!.id}/decision`, { action: 'allow', reason: 'our uptime checker' });
    expect(await allowed.json()).toMatchObject({ state: 'allowed' });
    // The served list drops the deny entry and carries the client as allowed, under a new version.
    const served = (await (await call('GET', '/v1/denylist')).json()) as {
      version: string;
      entries: unknown[];
      allow: string[];
    };
    expect(served).toMatchObject({ entries: [], allow: [SCANNER] });
    expect(served.version).not.toBe(before.version);
    expect((await list('?state=allowed')).map((x) => x.id)).toEqual([c!.id]);
    // An allowed client is not recommended again, and a refresh keeps it allowed.
    const report = (await (await call('GET', '/v1/reports/daily?date=2026-12-04')).json()) as DailyReport;
    expect(report.recommendations.map((r) => r.ip)).not.toContain(SCANNER);
    await call('POST', `${base}/refresh?date=2026-12-04`);
    expect((await list('?state=allowed')).map((x) => x.id)).toEqual([c!.id]);
  });

  it('decides in bulk, names what it did not find, and refuses oversized or hostile input', async () => {
    const { b, ingest, call, base, list } = await setup();
    await ingest([...burstOf404(SCANNER, T), ...burstOf404(PROBER, T)]);
    const ids = (await list()).map((c) => c.id);
    const bulk = await call('POST', `${base}/decisions`, {
      caseIds: [...ids, 'case_nope'],
      decision: { action: 'dismiss', reason: 'pen test' },
    });
    expect(await bulk.json()).toEqual({ decided: ids, missing: ['case_nope'], failed: [] });
    const tooMany = Array.from({ length: 501 }, (_, i) => `case_${i}`);
    expect(
      (await call('POST', `${base}/decisions`, { caseIds: tooMany, decision: { action: 'dismiss', reason: 'x' } }))
        .status,
    ).toBe(400);
    for (const body of [
      { action: 'dismiss', reason: 'x\u001b[2J' },
      { action: 'dismiss', reason: 'a\u202Eb' },
      { action: 'deny', expiry: '100y' },
      { action: 'delete' },
      { action: 'dismiss', reason: 'x'.repeat(501) },
    ]) {
      expect((await call('POST', `${base}/${ids[0]}/decision`, body)).status, JSON.stringify(body)).toBe(400);
    }
    for (const query of ['?state=bogus', '?kind=nope', '?country=jp', '?limit=0', '?limit=501']) {
      expect((await call('GET', `${base}${query}`)).status, query).toBe(400);
    }
    // Another tenant: its key on this site, this site's case through its own site: 404 both ways.
    expect((await call('GET', `${base}/${ids[0]}`, undefined, b.adminKey)).status).toBe(404);
    expect((await call('GET', `/v1/sites/${b.site.id}/cases/${ids[0]}`, undefined, b.adminKey)).status).toBe(404);
    expect(
      (
        await call(
          'POST',
          `/v1/sites/${b.site.id}/cases/${ids[0]}/decision`,
          { action: 'dismiss', reason: 'x' },
          b.adminKey,
        )
      ).status,
    ).toBe(404);
    expect((await call('GET', base, undefined, b.ingestKey)).status).toBe(403);
  });

  it('lists cases as CSV, and filters by kind and country', async () => {
    const { ingest, call, base } = await setup();
    await ingest(burstOf404(SCANNER, T));
    const csv = await call('GET', `${base}?table=cases&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\n')[0]).toMatch(/^id,siteId,client,country,state,kinds/);
    expect(
      ((await (await call('GET', `${base}?kind=high-4xx&country=JP`)).json()) as { cases: Case[] }).cases,
    ).toHaveLength(1);
    expect(((await (await call('GET', `${base}?kind=scanner`)).json()) as { cases: Case[] }).cases).toHaveLength(0);
  });

  it('the daily report shows the day’s decisions and the cases still open, with hostile reasons escaped', async () => {
    const { ingest, call, base, list } = await setup();
    await ingest([...burstOf404(SCANNER, T), ...burstOf404(PROBER, T)]);
    const [first] = await list();
    const hostile = '[click](https://evil.example) <!channel> *now*';
    await call('POST', `${base}/${first!.id}/decision`, { action: 'dismiss', reason: hostile });
    const report = (await (await call('GET', '/v1/reports/daily?date=2026-12-04')).json()) as DailyReport;
    expect(report.triage?.decided).toEqual([
      expect.objectContaining({ caseId: first!.id, state: 'dismissed', reason: hostile, by: 'initial' }),
    ]);
    expect(report.triage?.open).toMatchObject({ count: 1, more: false });
    const markdown = reportToMarkdown(report);
    expect(markdown).toContain('*Decided since the last report*: 1');
    expect(markdown).toContain('*Still open*: 1 cases');
    expect(markdown).not.toContain('](https://evil.example)');
    expect(markdown).not.toContain('<!channel>');
  });

  it('a decision after the 17:00 report is in the next day’s report, not that day’s', async () => {
    const { ingest, call, base, list } = await setup();
    await ingest(burstOf404(SCANNER, T));
    const [c] = await list();
    now = Date.UTC(2026, 11, 4, 18); // the team meets after the 17:00 report
    await call('POST', `${base}/${c!.id}/decision`, { action: 'deny', expiry: '7d', reason: 'from the meeting' });
    const day = async (date: string) =>
      ((await (await call('GET', `/v1/reports/daily?date=${date}`)).json()) as DailyReport).triage!;
    expect((await day('2026-12-04')).decided).toEqual([]);
    const next = await day('2026-12-05');
    expect(next.decided).toEqual([expect.objectContaining({ client: SCANNER, state: 'denied' })]);
    expect(next).toMatchObject({ since: Date.UTC(2026, 11, 4, 17), until: Date.UTC(2026, 11, 5, 17) });
  });

  it('auto-denies by policy once the site turns it on, with the policy as the actor', async () => {
    const { a, ingest, call, list } = await setup();
    const policies = `/v1/sites/${a.site.id}/policies`;
    expect(await (await call('GET', policies)).json()).toEqual({ autoDeny: [], expiry: '7d' });
    expect((await call('PUT', policies, { autoDeny: ['everyone'], expiry: '7d' })).status).toBe(400);
    expect((await call('PUT', policies, { autoDeny: ['scanner-probe'], expiry: '1d' })).status).toBe(200);
    const scan = (i: number) =>
      event({
        ts: T - 3_600_000 + i * 1000,
        ip: SCANNER,
        path: '/.env',
        status: 403,
        action: 'block',
        rule: 'probe:dotenv',
        botCategory: 'scanner',
        ua: 'sqlmap/1.8',
      });
    await ingest([...Array.from({ length: 5 }, (_, i) => scan(i)), ...burstOf404(PROBER, T)]);
    expect(await list()).toEqual([expect.objectContaining({ client: PROBER, state: 'new' })]);
    const [denied] = await list('?state=denied');
    expect(denied).toMatchObject({
      client: SCANNER,
      decision: { actor: { kind: 'policy', label: 'scanner-probe' }, expiresAt: T + 86_400_000 },
    });
    const denyList = (await (await call('GET', '/v1/denylist')).json()) as { entries: Array<{ value: string }> };
    expect(denyList.entries.map((e) => e.value)).toEqual([SCANNER]);
    const audit = (await (await call('GET', `/v1/sites/${a.site.id}/audit`)).json()) as AuditPage;
    expect(audit.entries.map((e) => `${e.action}:${e.actor.kind}`)).toEqual([
      'policies.set:key',
      'denylist.add:policy',
      'case.deny:policy',
    ]);
  });

  it('makes one case of an IPv6 /64, and a deny covers the whole /64', async () => {
    const { ingest, call, base, list } = await setup();
    await ingest([...burstOf404('2001:db8:1:2::a', T), ...burstOf404('2001:db8:1:2::b', T)]);
    const cases = await list();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ client: '2001:db8:1:2::/64', requests: 50 });
    expect(cases[0]!.evidence['2026-12-04']!.reasons.map((r) => r.split(': ')[0]).sort()).toEqual([
      '2001:db8:1:2::a',
      '2001:db8:1:2::b',
    ]);
    await call('POST', `${base}/${cases[0]!.id}/decision`, { action: 'deny', expiry: '7d' });
    const denyList = (await (await call('GET', '/v1/denylist')).json()) as { entries: Array<{ value: string }> };
    expect(denyList.entries.map((e) => e.value)).toEqual(['2001:db8:1:2::/64']);
  });
});
