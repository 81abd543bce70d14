import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { buildDailyReport } from '../../reports/build.js';
import type { DailyReport, LoginsSection as Logins } from '../../reports/types.js';
import { cli } from '../../../test/cli.js';

// Realistic ALB and AWS WAF logs of 2026-03-09 with requests to /login (what each line is: comments in
// the generator, the expectations below). The WAF log has no origin status: BLOCK and CAPTCHA are
// refused (failed), ALLOW has no outcome.
const fixture = (name: string) => fileURLToPath(new URL(`../../importers/fixtures/${name}`, import.meta.url));
const ALB = fixture('alb-logins.log');
const WAF = fixture('aws-waf-logins.log');
const HOUR = 3_600_000;
const DAY = Date.UTC(2026, 2, 9);

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-import-logins-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function createSite(): Promise<string> {
  const created = await cli('sites', 'create', 'shop', '--tz', 'UTC', '--db', db);
  expect(created.code).toBe(0);
  return (JSON.parse(created.out) as { id: string }).id;
}

async function report(siteId: string): Promise<DailyReport & { logins: Logins }> {
  const store = openSqliteStore({ path: db });
  try {
    const daily = await buildDailyReport(store, (await store.getSite(siteId))!, '2026-03-09');
    expect(daily.logins).toBeDefined();
    return { ...daily, logins: daily.logins! };
  } finally {
    await store.close();
  }
}

const hour = (logins: Logins, h: number) => logins.byHour.find((b) => b.start === DAY + h * HOUR);

describe('watchpost import --login-path (ALB)', () => {
  it('fills the logins section: 401 failed, 302 success, refused by WAF failed, 5xx and 460 none', async () => {
    const siteId = await createSite();
    const run = await cli(
      'import',
      '--db',
      db,
      '--site',
      siteId,
      '--format',
      'alb',
      '--login-path',
      'POST:/login',
      ALB,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ linesRead: 19, imported: 19, skipped: 0 });
    const { logins, totals } = await report(siteId);
    expect(totals.requests).toBe(19);
    // 12 × 401 and a 302 from the stuffer, a 302 with ?next=, a WAF 403; not the GET, the 502, the 460, /login/extra.
    expect(logins).toMatchObject({ attempts: 15, failures: 13 });
    expect(logins.successRate).toBe(0.1333); // 2 of 15, as the report rounds it
    expect(logins.topClients[0]).toMatchObject({ ip: '203.0.113.50', attempts: 13, failures: 12 });
    expect(logins.topClients).toContainEqual(expect.objectContaining({ ip: '192.0.2.44', attempts: 1, failures: 1 }));
    expect(logins.topClients.map((c) => c.ip)).not.toContain('198.51.100.9');
    expect(logins.topClients.map((c) => c.ip)).not.toContain('198.51.100.10');
    expect(logins.topClients.map((c) => c.ip)).not.toContain('198.51.100.11');
    // ALB dates a request by its creation time: the first try was created at 09:59:59.965.
    expect(hour(logins, 9)).toMatchObject({ attempts: 1, failures: 1 });
    expect(hour(logins, 10)).toMatchObject({ attempts: 12, failures: 11 });
    // 11:15 the user's 302; 11:59:59.965 the try WAF refused.
    expect(hour(logins, 11)).toMatchObject({ attempts: 2, failures: 1 });
  });

  it('marks nothing without --login-path', async () => {
    const siteId = await createSite();
    expect((await cli('import', '--db', db, '--site', siteId, '--format', 'alb', ALB)).code).toBe(0);
    expect((await report(siteId)).logins).toMatchObject({ attempts: 0, failures: 0, successRate: null });
  });
});

describe('watchpost import --login-path (AWS WAF)', () => {
  it('counts BLOCK and CAPTCHA on the login path as failed and leaves ALLOW without an outcome', async () => {
    const siteId = await createSite();
    const run = await cli(
      'import',
      '--db',
      db,
      '--site',
      siteId,
      '--format',
      'aws-waf',
      '--login-path',
      'POST:/login',
      WAF,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ linesRead: 12, imported: 12, skipped: 0 });
    const { logins, totals } = await report(siteId);
    expect(totals).toMatchObject({ requests: 12, blocked: 8 });
    expect(logins).toMatchObject({ attempts: 7, failures: 7, successRate: 0 });
    expect(logins.topClients.map((c) => [c.ip, c.attempts, c.failures])).toEqual([
      ['203.0.113.50', 5, 5],
      ['203.0.113.51', 2, 2],
    ]);
    expect(logins.topCountries).toContainEqual({ country: 'NL', attempts: 5, failures: 5 });
  });

  it('a path without a method takes the blocked GET too', async () => {
    const siteId = await createSite();
    const run = await cli('import', '--db', db, '--site', siteId, '--format', 'aws-waf', '--login-path', '/login', WAF);
    expect(run.code).toBe(0);
    expect((await report(siteId)).logins).toMatchObject({ attempts: 8, failures: 8 });
  });
});
