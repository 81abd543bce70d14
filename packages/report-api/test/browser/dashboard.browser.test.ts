import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKER, HOSTILE, SEED_DATE, seedDashboard } from './seed.js';

// Debian's Chromium, never a downloaded browser (DEVELOPERS.md).
const CHROMIUM = process.env.WATCHPOST_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n!!! dashboard browser tests SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium). In CI ` +
      `they fail instead.\n`,
  );
}

// In CI (CI=true) the suite never skips: without Chromium its set-up fails instead.
describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(
  `dashboard in Chromium${HAVE_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} not installed)`}`,
  () => {
    let seeded: Awaited<ReturnType<typeof seedDashboard>>;
    let server: ServerType;
    let origin = '';
    let browser: Browser;
    let page: Page;
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];

    async function denyList(): Promise<string[]> {
      const res = await fetch(`${origin}/v1/denylist`, { headers: { authorization: `Bearer ${seeded.ingestKey}` } });
      const body = (await res.json()) as { entries: Array<{ value: string }> };
      return body.entries.map((e) => e.value);
    }

    beforeAll(async () => {
      if (!HAVE_CHROMIUM) {
        throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package before the tests`);
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      seeded = await seedDashboard();
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: seeded.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      await seeded?.cleanup();
    });

    it('signs in with the admin key and lands on the report', async () => {
      await page.goto(`${origin}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
      await page.getByLabel('Admin key').fill(seeded.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`**/dashboard/sites/${seeded.site.id}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(`shop <i>demo</i>: daily report for ${SEED_DATE}`);
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === 'watchpost_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
      expect(await page.evaluate(() => document.cookie)).toBe('');
    });

    it('draws the charts with data', async () => {
      for (const chart of ['timeline', 'status-chart', 'origin-chart', 'countries-chart', 'bots-chart']) {
        const sizes = await page.$$eval(`svg#${chart} rect`, (rects) =>
          rects.map((r) => r.getBoundingClientRect()).map((b) => ({ w: b.width, h: b.height })),
        );
        const drawn = sizes.filter((s) => s.w > 0 && s.h > 0);
        expect(drawn.length, `${chart} has bars of non-zero size`).toBeGreaterThan(0);
      }
      const timeline = await page.locator('svg#timeline').boundingBox();
      expect(timeline?.width).toBeGreaterThan(600);
      expect(await page.locator('svg#timeline polyline.l-e4').getAttribute('points')).toMatch(/\d/);
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-top.png') });
    });

    it('shows hostile user agents and paths as text and runs nothing', async () => {
      await expect(page.getByText(HOSTILE.scriptUa, { exact: true }).count()).resolves.toBeGreaterThan(0);
      await expect(page.getByText(HOSTILE.attrUa, { exact: true }).count()).resolves.toBeGreaterThan(0);
      const injected = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        scripts: document.querySelectorAll('script').length,
        handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
        images: document.querySelectorAll('img').length,
        jsLinks: Array.from(document.querySelectorAll('a')).filter((a) => a.protocol === 'javascript:').length,
      }));
      expect(injected).toEqual({ pwned: null, scripts: 0, handlers: 0, images: 0, jsLinks: 0 });
      expect(dialogs).toEqual([]);
      expect(pageErrors).toEqual([]);
      // Nothing on our own pages trips the CSP (no inline styles or scripts of ours).
      expect(consoleErrors.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    });

    it('starts keyboard navigation at the skip link', async () => {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    });

    it('follows a drill-down link to an IP page', async () => {
      await page.locator(`#ips-h + .table-wrap a[href*="ip=${ATTACKER}"]`).first().click();
      await page.waitForURL(`**/ip?ip=${ATTACKER}&date=${SEED_DATE}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(`IP ${ATTACKER}`);
      const bars = await page.$$eval(
        'svg#ip-timeline rect.f-req',
        (rects) => rects.filter((r) => r.getBoundingClientRect().height > 0).length,
      );
      expect(bars).toBeGreaterThan(0);
      await expect(page.getByText('Not on the deny list.').count()).resolves.toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'ip.png'), fullPage: true });
      await page.goBack();
    });

    it('adds a recommended IP to the deny list; the served deny list changes', async () => {
      expect(await denyList()).not.toContain(ATTACKER);
      await page.getByRole('button', { name: `Add ${ATTACKER} to the deny list` }).click();
      await page.waitForURL((url) => url.searchParams.get('denied') === ATTACKER);
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        `${ATTACKER} was added to the deny list.`,
      );
      const row = page.locator('#recommendations tr', { hasText: ATTACKER });
      await expect(row.locator('.badge.denied').textContent()).resolves.toBe('Denied');
      expect(await denyList()).toContain(ATTACKER);
      expect(dialogs).toEqual([]);
    });

    it('reads on a phone without sideways scrolling of the page', async () => {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        storageState: await page.context().storageState(),
      });
      const mobile = await phone.newPage();
      await mobile.goto(`${origin}/dashboard/sites/${seeded.site.id}?date=${SEED_DATE}`);
      const overflow = await mobile.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      await mobile.screenshot({ path: join(ARTIFACTS, 'report-phone.png'), fullPage: true });
      await phone.close();
    });

    it('signs out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/dashboard/sign-in');
      await page.goto(`${origin}/dashboard/sites/${seeded.site.id}`);
      expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    });
  },
);
