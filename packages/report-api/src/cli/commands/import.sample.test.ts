import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { buildDailyReport } from '../../reports/build.js';
import type { DailyReport } from '../../reports/types.js';
import { cli } from '../../../test/cli.js';

let dir: string;
let db: string;
let log: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-import-sample-'));
  db = join(dir, 'w.db');
  log = join(dir, 'access.log');
  writeFileSync(log, accessLog());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UAS = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0', 'sqlmap/1.8', 'Googlebot/2.1', 'curl/8.5.0'];
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 304, 301, 404, 401, 500];

/**
 * 6,000 requests over 2026-03-09 from 300 clients: mostly 200s, some 3xx, 4xx, 5xx and POSTs to
 * /login. Googlebot comes from Google's published addresses, but one claim in ten from elsewhere
 * (150 impersonator requests).
 */
function accessLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const seconds = Math.floor((i * 86_400) / 6000);
    const time = [seconds / 3600, (seconds / 60) % 60, seconds % 60].map((n) => String(Math.floor(n)).padStart(2, '0'));
    const status = STATUSES[(i * 7) % STATUSES.length]!;
    const login = i % 50 === 0;
    const google = UAS[i % UAS.length] === 'Googlebot/2.1' && i % 40 !== 2;
    const net = google ? '66.249.66' : `198.51.${(i * 13) % 3}`;
    lines.push(
      `${net}.${(i * 31) % 100} - - [09/Mar/2026:${time.join(':')} +0000] ` +
        `"${login ? 'POST /login' : `GET /p/${i % 40}`} HTTP/1.1" ${status} 100 "-" "${UAS[i % UAS.length]}"`,
    );
  }
  return lines.join('\n') + '\n';
}

async function importAt(rate: string): Promise<{ report: DailyReport; rawEvents: number }> {
  const created = await cli('sites', 'create', `shop-${rate}`, '--tz', 'UTC', '--db', db);
  const siteId = (JSON.parse(created.out) as { id: string }).id;
  const run = await cli(
    'import',
    ...['--db', db, '--site', siteId, '--format', 'combined', '--login-path', 'POST:/login', '--sample-rate', rate],
    log,
  );
  expect(run.code).toBe(0);
  expect(JSON.parse(run.out)).toMatchObject({ linesRead: 6000, imported: 6000 });
  const store = openSqliteStore({ path: db });
  try {
    const report = await buildDailyReport(store, (await store.getSite(siteId))!, '2026-03-09', { now: () => 0 });
    const rawEvents = store.db.prepare('SELECT count(*) FROM events WHERE site_id = ?').pluck().get(siteId) as number;
    return { report, rawEvents };
  } finally {
    await store.close();
  }
}

describe('watchpost import --sample-rate', () => {
  it('stores about a tenth of the allowed 2xx/3xx raw events; the report equals a full import', async () => {
    const everything = await importAt('1');
    const sampled = await importAt('0.1');
    expect(everything.rawEvents).toBe(6000);
    // 4xx, 5xx, login attempts and impersonators kept (1,500 + 120 logins and 100 impersonators with a
    // 2xx/3xx), about a tenth of the other 4,280.
    expect(sampled.rawEvents).toBeGreaterThan(1500 + 120 + 100 + 200);
    expect(sampled.rawEvents).toBeLessThan(1500 + 120 + 100 + 600);
    const { site: _a, ...full } = everything.report;
    const { site: _b, ...part } = sampled.report;
    expect(part).toEqual(full);
    expect(full.totals.requests).toBe(6000);
    expect(full.logins?.attempts).toBe(120);
    expect(full.botActivity?.impersonators.requests).toBe(150);
    expect(full.botActivity?.byName.find((row) => row.name === 'Googlebot')).toMatchObject({
      requests: 1350,
      impersonated: { requests: 150 },
    });
  });

  it('refuses a rate of 0, above 1 or not a number (exit 2)', async () => {
    for (const rate of ['0', '1.5', 'abc', '', 'NaN', '-0.1']) {
      const run = await cli('import', '--db', db, '--site', 'x', '--format', 'combined', '--sample-rate', rate, log);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/--sample-rate/);
    }
  });

  it('AWS WAF: ALLOW records (no status) are sampled, blocks kept; the report equals a full import', async () => {
    const waf = join(dir, 'waf.log');
    const records = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({
        timestamp: Date.UTC(2026, 2, 9, 0, 0, 0) + i * 40_000,
        action: i % 10 === 0 ? 'BLOCK' : 'ALLOW',
        terminatingRuleId: i % 10 === 0 ? 'BlockScanners' : 'Default_Action',
        terminatingRuleType: 'REGULAR',
        httpRequest: {
          clientIp: UAS[i % UAS.length] === 'Googlebot/2.1' ? `66.249.66.${i % 50}` : `198.51.100.${i % 50}`,
          country: i % 3 === 0 ? 'JP' : 'US',
          headers: [{ name: 'User-Agent', value: UAS[i % UAS.length] }],
          uri: `/p/${i % 20}`,
          httpMethod: 'GET',
        },
      }),
    );
    writeFileSync(waf, records.join('\n') + '\n');
    const reports: DailyReport[] = [];
    const raw: number[] = [];
    for (const rate of ['1', '0.1']) {
      const created = await cli('sites', 'create', `waf-${rate}`, '--tz', 'UTC', '--db', db);
      const siteId = (JSON.parse(created.out) as { id: string }).id;
      const run = await cli('import', '--db', db, '--site', siteId, '--format', 'aws-waf', '--sample-rate', rate, waf);
      expect(run.code).toBe(0);
      const store = openSqliteStore({ path: db });
      try {
        const { site: _site, ...report } = await buildDailyReport(store, (await store.getSite(siteId))!, '2026-03-09', {
          now: () => 0,
        });
        reports.push(report as DailyReport);
        raw.push(store.db.prepare('SELECT count(*) FROM events WHERE site_id = ?').pluck().get(siteId) as number);
      } finally {
        await store.close();
      }
    }
    expect(reports[1]).toEqual(reports[0]);
    expect(reports[0]!.totals).toMatchObject({ requests: 2000, blocked: 200 });
    expect(raw[0]).toBe(2000);
    // 200 blocks kept, about a tenth of the 1,800 ALLOW records.
    expect(raw[1]).toBeGreaterThan(200 + 100);
    expect(raw[1]).toBeLessThan(200 + 300);
  });
});
