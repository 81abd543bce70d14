import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleApps, startReportApi } from './poison/harness.js';

// A deny added through the API reaches every app instance by long poll, with the default sync
// settings (syncWaitS 25, the 60 s poll only as the fallback): each try must be enforced within 2 s.
let api: Awaited<ReturnType<typeof startReportApi>>;
let apps: Awaited<ReturnType<typeof startExampleApps>>;

beforeAll(async () => {
  api = await startReportApi();
  apps = await startExampleApps(api.url, api.site.ingestKey);
});
afterAll(async () => {
  await apps?.close();
  await api?.stop();
});

async function refusedWithin(url: string, ip: string, ms: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(url, { headers: { 'x-forwarded-for': ip } });
    await res.body?.cancel();
    if (res.status === 403) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`${url} still serves ${ip} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('deny-list enforcement by long poll', () => {
  it('both apps refuse a newly denied IP within 2 s, five times in a row', async () => {
    // Let both apps' first plain poll land and their long polls be held.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const took: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const ip = `198.51.100.${i}`;
      for (const url of Object.values(apps.urls)) {
        expect((await fetch(url, { headers: { 'x-forwarded-for': ip } })).status).toBe(200);
      }
      const added = await fetch(`${api.url}/v1/denylist`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.site.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: ip, reason: 'enforcement test' }),
      });
      expect(added.status).toBe(201);
      took.push(...(await Promise.all(Object.values(apps.urls).map((url) => refusedWithin(url, ip, 2000)))));
    }
    expect(Math.max(...took)).toBeLessThan(2000);
    console.log(`[enforcement] deny → 403 on both apps: ${took.map((ms) => Math.round(ms)).join(', ')} ms`);
  });

  it('a client a triage allowed is served by both apps again, even with a scanner user agent', async () => {
    const ip = '198.51.100.200';
    const sqlmap = { 'x-forwarded-for': ip, 'user-agent': 'sqlmap/1.8.2#stable (https://sqlmap.org)' };
    for (const url of Object.values(apps.urls)) expect((await fetch(url, { headers: sqlmap })).status).toBe(403);
    const now = Date.now();
    const day = new Date(now).toISOString().slice(0, 10);
    await api.store.putCase({
      ...{ id: 'case_e2e', siteId: api.site.site.id, client: ip, country: null, state: 'new' as const },
      ...{ kinds: ['scanner' as const], evidence: {}, requests: 1, firstDay: day, lastDay: day, updatedAt: now },
      ...{ decision: null, reopenedAt: null },
    });
    const allowed = await fetch(`${api.url}/v1/sites/${api.site.site.id}/cases/case_e2e/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.site.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'allow', reason: 'our own scanner' }),
    });
    expect(allowed.status).toBe(200);
    const started = performance.now();
    for (const url of Object.values(apps.urls)) {
      for (;;) {
        const res = await fetch(url, { headers: sqlmap });
        await res.body?.cancel();
        if (res.status === 200) break;
        if (performance.now() - started > 3000) throw new Error(`${url} still refuses ${ip}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    console.log(`[enforcement] allow → 200 on both apps in ${Math.round(performance.now() - started)} ms`);
  });
});
