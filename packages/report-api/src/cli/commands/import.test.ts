import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { buildDailyReport } from '../../reports/build.js';
import { cli } from '../../../test/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-import-cli-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function createSite(): Promise<string> {
  const created = await cli('sites', 'create', 'shop', '--tz', 'UTC', '--home-country', 'JP', '--db', db);
  expect(created.code).toBe(0);
  return (JSON.parse(created.out) as { id: string }).id;
}

/** 40 requests on 2026-03-09 UTC: 30 × 200, 6 × 404 from a scanner, 4 × 503; plus 2 junk lines. */
function accessLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ip = i < 30 ? `198.51.100.${i}` : '203.0.113.66';
    const status = i < 30 ? 200 : i < 36 ? 404 : 503;
    const ua = i < 30 ? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' : 'sqlmap/1.8';
    lines.push(
      `${ip} - - [09/Mar/2026:10:${String(i).padStart(2, '0')}:00 +0000] "GET /p/${i}?q=1 HTTP/1.1" ${status} ` +
        `100 "-" "${ua}"`,
    );
  }
  lines.splice(5, 0, 'this is not a log line', `198.51.100.1 - - [09/Mar/2026:10:00:00 +0000] "GET /cut`);
  return lines.join('\n') + '\n';
}

describe('watchpost import', () => {
  it('imports a log, then the same log gzipped adds nothing: the daily report is unchanged', async () => {
    const siteId = await createSite();
    const plain = join(dir, 'access.log');
    const gz = join(dir, 'access.log.gz');
    writeFileSync(plain, accessLog());
    writeFileSync(gz, gzipSync(accessLog()));

    const first = await cli('import', '--db', db, '--site', siteId, '--format', 'combined', plain);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({
      files: 1,
      linesRead: 42,
      imported: 40,
      skipped: 2,
      duplicates: 0,
      skippedByReason: { 'unknown-line-type': 1, truncated: 1 },
    });
    const store = openSqliteStore({ path: db });
    try {
      const site = (await store.getSite(siteId))!;
      const before = await buildDailyReport(store, site, '2026-03-09');
      expect(before.totals).toMatchObject({ requests: 40, blocked: 0 });
      expect(before.statusClasses).toMatchObject({ '2xx': 30, '4xx': 6, '5xx': 4 });
      expect(before.topIps[0]).toMatchObject({ ip: '203.0.113.66', requests: 10 });
      expect(before.bots).toContainEqual(expect.objectContaining({ category: 'scanner', requests: 10 }));

      const again = await cli('import', '--db', db, '--site', siteId, '--format', 'combined', gz);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out)).toMatchObject({ linesRead: 42, imported: 0, duplicates: 40 });
      const after = await buildDailyReport(store, site, '2026-03-09');
      expect(after.totals).toEqual(before.totals);
      expect(after.statusClasses).toEqual(before.statusClasses);
    } finally {
      await store.close();
    }
  });

  it('--single-thread stores what the parse thread stores (ALB): the same summary, events and report', async () => {
    const alb = fileURLToPath(new URL('../../importers/fixtures/alb-logins.log', import.meta.url));
    const runs = [];
    for (const flags of [[], ['--single-thread']]) {
      rmSync(db, { force: true });
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
        '/login',
        ...flags,
        alb,
      );
      expect(run.code).toBe(0);
      const store = openSqliteStore({ path: db });
      try {
        const events = await store.listEvents(siteId, { from: 0, to: Date.UTC(2100, 0), limit: 1000 });
        const report = await buildDailyReport(store, (await store.getSite(siteId))!, '2026-03-09');
        runs.push({
          summary: { ...JSON.parse(run.out), seconds: 0 },
          events: events.map(({ id: _id, siteId: _site, ...rest }) => rest),
          report: { ...report, generatedAt: 0, site: 0 },
        });
      } finally {
        await store.close();
      }
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.events.length).toBeGreaterThan(10);
  });

  it('prints its usage with --help', async () => {
    const help = await cli('import', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--format aws-waf|alb|combined');
  });

  it.each([
    {
      name: 'unknown format',
      argv: ['--format', 'w3c', 'FILE'],
      error: /--format: "w3c" is not one of aws-waf, alb, combined/,
    },
    { name: 'missing file', argv: ['--format', 'alb', 'NOFILE'], error: /missing\.log: no such file/ },
    { name: 'a directory', argv: ['--format', 'alb', 'DIR'], error: /not a file/ },
    { name: 'no file at all', argv: ['--format', 'alb'], error: /at least one log FILE/ },
    { name: 'unknown site', argv: ['--format', 'alb', 'FILE'], site: 'site_nope', error: /no site "site_nope"/ },
    { name: 'no site', argv: ['--format', 'alb', 'FILE'], site: null, error: /--site is required/ },
  ])('$name → exit 2 and one line', async ({ argv, site, error }) => {
    const siteId = site === undefined ? await createSite() : site;
    await openSqliteStore({ path: db }).close(); // commands that take --site never create a database
    const file = join(dir, 'ok.log');
    writeFileSync(file, '');
    const args = argv.map((a) =>
      a === 'FILE' ? file : a === 'NOFILE' ? join(dir, 'missing.log') : a === 'DIR' ? dir : a,
    );
    const result = await cli('import', '--db', db, ...(siteId === null ? [] : ['--site', siteId]), ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(error);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.out).toBe('');
  });
});
