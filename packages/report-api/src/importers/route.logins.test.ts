import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithSite, tempStore } from '../../test/helpers.js';
import type { DailyReport, LoginsSection } from '../reports/types.js';

// The same ALB and AWS WAF fixtures as `watchpost import --login-path`, sent to POST /v1/import.
const ALB = readFileSync(new URL('./fixtures/alb-logins.log', import.meta.url));
const WAF = readFileSync(new URL('./fixtures/aws-waf-logins.log', import.meta.url));

const t = tempStore();
afterAll(() => t.cleanup());
let albSite: Awaited<ReturnType<typeof appWithSite>>;
let wafSite: Awaited<ReturnType<typeof appWithSite>>;
beforeAll(async () => {
  albSite = await appWithSite(t.store, { timeZone: 'UTC' });
  wafSite = await appWithSite(t.store, { timeZone: 'UTC' });
});

async function importLog(site: typeof albSite, query: string, body: Uint8Array) {
  const res = await site.app.request(`/v1/import?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${site.adminKey}`, 'content-encoding': 'gzip' },
    body: gzipSync(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function logins(site: typeof albSite): Promise<LoginsSection> {
  const res = await site.app.request('/v1/reports/daily?date=2026-03-09', {
    headers: { authorization: `Bearer ${site.adminKey}` },
  });
  expect(res.status).toBe(200);
  const { logins } = (await res.json()) as DailyReport;
  expect(logins).toBeDefined();
  return logins!;
}

describe('POST /v1/import?loginPath=', () => {
  it('ALB: 401s and a WAF refusal are failures, 302s successes, 5xx and 460 not attempts', async () => {
    expect(await importLog(albSite, 'format=alb&loginPath=POST:/login', ALB)).toMatchObject({ imported: 19 });
    const section = await logins(albSite);
    expect(section).toMatchObject({ attempts: 15, failures: 13 });
    expect(section.topClients[0]).toMatchObject({ ip: '203.0.113.50', attempts: 13, failures: 12 });
    // Sent again: duplicates, and the section does not change.
    expect(await importLog(albSite, 'format=alb&loginPath=POST:/login', ALB)).toMatchObject({ duplicates: 19 });
    expect(await logins(albSite)).toMatchObject({ attempts: 15, failures: 13 });
  });

  it('AWS WAF: BLOCK and CAPTCHA are failed attempts, ALLOW and COUNT have no outcome', async () => {
    expect(await importLog(wafSite, 'format=aws-waf&loginPath=POST:/login', WAF)).toMatchObject({ imported: 12 });
    const section = await logins(wafSite);
    expect(section).toMatchObject({ attempts: 7, failures: 7, successRate: 0 });
    expect(section.topClients.map((c) => c.ip)).toEqual(['203.0.113.50', '203.0.113.51']);
  });

  it('sampleRate: the logins section is the same, login attempts are always kept; a bad rate is 400', async () => {
    const sampled = await appWithSite(t.store, { timeZone: 'UTC' });
    expect(await importLog(sampled, 'format=alb&loginPath=POST:/login&sampleRate=0.01', ALB)).toMatchObject({
      imported: 19,
    });
    expect(await logins(sampled)).toEqual(await logins(albSite));
    for (const rate of ['0', '2', 'x', '']) {
      const res = await sampled.app.request(`/v1/import?format=alb&sampleRate=${rate}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sampled.adminKey}` },
        body: ALB,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/sampleRate/);
    }
  });
});
