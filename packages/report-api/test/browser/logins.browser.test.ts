import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '../../src/reports/types.js';
import { SEED_DATE, seedDashboard } from './seed.js';

// The logins and rate-limits pages in Chromium, on the seeded day plus a credential-stuffing run and
// a client refused by a rate rule: the numbers shown are the report JSON's, and a screenshot is kept.
const CHROMIUM = process.env.WATCHPOST_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const STUFFER = '203.0.113.88';
const SCRAPER = '192.0.2.200';
const at = (minute: number, second = 0) => Date.parse(`${SEED_DATE}T02:00:00Z`) + minute * 60_000 + second * 1000;

function extraEvents(): WatchpostEvent[] {
  const base = {
    ...{ country: 'RU', method: 'POST', host: 'shop.example', path: '/login', latencyMs: 5 },
    ...{ ua: 'python-requests/2.31', action: 'allow' as const, rule: null, botCategory: null, sampleRate: 1 },
  };
  const stuffing = Array.from({ length: 12 }, (_, i) => ({
    ...base,
    ...{ ts: at(0, i * 5), ip: STUFFER, status: 401 },
    login: { outcome: 'failed' as const, account: (i + 1).toString(16).padStart(32, '0') },
  }));
  const refused = Array.from({ length: 25 }, (_, i) => ({
    ...base,
    ...{ ts: at(10, i), ip: SCRAPER, country: 'US', method: 'GET', path: `/products/${i}`, status: 429 },
    ...{ action: 'block' as const, rule: 'rate:catalog-scrapers', botCategory: 'http-client' as const },
  }));
  return [...stuffing, ...refused];
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('logins and rate-limits pages in Chromium', () => {
  let seeded: Awaited<ReturnType<typeof seedDashboard>>;
  let server: ServerType;
  let origin = '';
  let browser: Browser;
  let page: Page;
  let report: DailyReport;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package`);
    mkdirSync(ARTIFACTS, { recursive: true });
    seeded = await seedDashboard();
    const res = await seeded.app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${seeded.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batchId: 'logins-extra', source: 'express', events: extraEvents() }),
    });
    expect(res.status).toBe(202);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: seeded.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = await fetch(`${origin}/v1/reports/daily?date=${SEED_DATE}`, {
      headers: { authorization: `Bearer ${seeded.adminKey}` },
    });
    report = (await json.json()) as DailyReport;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${origin}/dashboard/sign-in`);
    await page.getByLabel('Admin key').fill(seeded.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/dashboard/sites/${seeded.site.id}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await seeded?.cleanup();
  });

  it("shows the day's login attempts, the stuffing detection and its client, as the report says", async () => {
    await page.getByRole('link', { name: 'Login attempts' }).click();
    await page.waitForURL(`**/logins?date=${SEED_DATE}`);
    const logins = report.logins!;
    expect(logins.attempts).toBe(12);
    const cards = await page.locator('dl.cards').first().innerText();
    expect(cards).toContain(`Attempts\n${logins.attempts}`);
    expect(cards).toContain(`Failures\n${logins.failures}`);
    const detections = await page.locator('#detections-h ~ .table-wrap').first().innerText();
    expect(detections).toContain('credential-stuffing');
    expect(detections).toContain(STUFFER);
    const bars = await page.$$eval(
      'svg#login-hours rect',
      (rects) => rects.filter((r) => r.getBoundingClientRect().width > 0).length,
    );
    expect(bars).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'logins.png'), fullPage: true });
  });

  it('lists the rate-limited client with its rule and refusals, linked to its IP page', async () => {
    await page.goto(`${origin}/dashboard/sites/${seeded.site.id}/rate-limits?date=${SEED_DATE}`);
    const client = report.rateLimited!.clients.find((c) => c.ip === SCRAPER)!;
    expect(client).toMatchObject({ refused: 25, rules: ['catalog-scrapers'] });
    const row = await page.locator('tr', { hasText: SCRAPER }).innerText();
    expect(row).toContain('catalog-scrapers');
    expect(row).toContain(String(client.refused));
    await page.screenshot({ path: join(ARTIFACTS, 'rate-limits.png'), fullPage: true });
    await page.locator(`a[href*="ip=${SCRAPER}"]`).first().click();
    await page.waitForURL(`**/ip?ip=${SCRAPER}&date=${SEED_DATE}`);
  });
});
