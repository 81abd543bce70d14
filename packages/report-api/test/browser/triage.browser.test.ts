import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../src/db/audit.js';
import type { Case } from '../../src/db/cases.js';
import { SEED_NOW, seedDashboard } from './seed.js';

// A triage done in Chromium on the seeded day: deny one case for 30 days with the keyboard, dismiss
// one in bulk with a note, then ticket it to a local tracker; the deny list, the cases and the audit log (API and page)
// all show it, with the dashboard session as the actor. A screenshot is kept.
const CHROMIUM = process.env.WATCHPOST_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const DAY = 86_400_000;

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('triage page in Chromium', () => {
  let seeded: Awaited<ReturnType<typeof seedDashboard>>;
  let server: ServerType;
  let origin = '';
  let browser: Browser;
  let page: Page;
  const api = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${seeded.adminKey}` } })).json()) as T;

  let tracker: Server;
  const issues: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package`);
    mkdirSync(ARTIFACTS, { recursive: true });
    // A local GitHub-like tracker: it records each issue and answers with its URL.
    tracker = createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      issues.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ html_url: `https://github.com/acme/ops/issues/${issues.length}` }));
    });
    await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', () => resolve()));
    const trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}/repos/acme/ops/issues`;
    seeded = await seedDashboard({
      tickets: () => ({ format: 'github', url: trackerUrl, issueType: 'Task', labels: [] }),
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: seeded.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${origin}/dashboard/sign-in`);
    await page.getByLabel('Admin key').fill(seeded.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/dashboard/sites/${seeded.site.id}`);
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => (tracker ? tracker.close(resolve) : resolve(undefined)));
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await seeded?.cleanup();
  });

  it('denies with an expiry from the keyboard, dismisses in bulk with a note; the audit log shows each', async () => {
    await page.getByRole('link', { name: 'Triage' }).click();
    await page.waitForURL(`**/sites/${seeded.site.id}/triage`);
    const open = (await api<{ cases: Case[] }>(`/v1/sites/${seeded.site.id}/cases?refresh=0`)).cases;
    expect(open.length).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'triage.png'), fullPage: true });
    const [first, second] = open as [Case, Case];

    // Deny the first for 30 days, with the keyboard: pick the expiry, then Enter on its Deny button.
    await page.getByLabel('Deny for').selectOption('30d');
    await page.getByRole('button', { name: `Deny ${first.client}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/triage?done=1');
    await expect.poll(() => page.getByRole('status').innerText()).toBe('1 case decided.');

    // Dismiss the second: a note is required, and refused without one; then in bulk, by its checkbox.
    await page.getByRole('button', { name: `Dismiss ${second.client}`, exact: true }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Bad request');
    await page.goBack();
    await page.getByRole('checkbox', { name: `Select ${second.client}` }).check();
    await page.getByLabel('For every ticked case').selectOption('dismiss');
    await page.getByLabel('Reason or note').fill('our monitoring');
    await page.getByRole('button', { name: 'Apply to ticked cases' }).click();
    await page.waitForURL('**/triage?done=1');
    expect(await page.locator('tbody tr').innerText()).toContain('No cases here');

    // Ticket the dismissed one from the dismissed view: one issue at the tracker, its URL on the case.
    await page.getByLabel('State').selectOption('dismissed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: `Ticket ${second.client}`, exact: true }).click();
    await page.waitForURL('**/triage?done=1');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: expect.stringContaining(second.client) });
    const ticketed = await api<Case>(`/v1/sites/${seeded.site.id}/cases/${second.id}`);
    expect(ticketed).toMatchObject({
      state: 'ticketed',
      decision: { ticketUrl: 'https://github.com/acme/ops/issues/1' },
    });

    const deny = await api<{ entries: Array<{ value: string; expiresAt: number | null }> }>('/v1/denylist');
    expect(deny.entries).toContainEqual(
      expect.objectContaining({ value: first.client, expiresAt: SEED_NOW + 30 * DAY }),
    );
    const decided = (await api<{ cases: Case[] }>(`/v1/sites/${seeded.site.id}/cases?refresh=0&state=denied,dismissed`))
      .cases;
    expect(decided.map((c) => `${c.client}:${c.state}`).sort()).toEqual([`${first.client}:denied`].sort());
    const audit = await api<AuditPage>(`/v1/sites/${seeded.site.id}/audit?since=0&limit=500`);
    const caseEntries = audit.entries.filter((e) => e.action.startsWith('case.'));
    expect(caseEntries.map((e) => e.action)).toEqual(['case.deny', 'case.dismiss', 'case.ticket']);
    for (const e of caseEntries)
      expect(e.actor).toMatchObject({ kind: 'dashboard', label: expect.stringMatching(/^dashboard session /) });
    expect(caseEntries.find((e) => e.target === second.id)?.reason).toBe('our monitoring');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`**/sites/${seeded.site.id}/audit`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('case.deny');
    expect(text).toContain('our monitoring');
    await page.screenshot({ path: join(ARTIFACTS, 'audit.png'), fullPage: true });
  });
});
