import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { buildDailyReport } from '../../reports/build.js';
import { cli } from '../../../test/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-import-hostile-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function createSite(): Promise<string> {
  const created = await cli('sites', 'create', 'shop', '--tz', 'UTC', '--db', db);
  expect(created.code).toBe(0);
  return (JSON.parse(created.out) as { id: string }).id;
}

const DAY = Date.UTC(2026, 2, 9, 9);

function waf(
  overrides: { timestamp?: unknown; clientIp?: string; uri?: string; ua?: string; asn?: unknown } = {},
): string {
  return JSON.stringify({
    timestamp: 'timestamp' in overrides ? overrides.timestamp : DAY,
    action: 'BLOCK',
    terminatingRuleId: 'BlockScanners',
    httpRequest: {
      clientIp: overrides.clientIp ?? '203.0.113.9',
      country: 'NL',
      headers: [
        { name: 'Host', value: 'shop.example' },
        { name: 'User-Agent', value: overrides.ua ?? 'Nikto/2.5.0' },
      ],
      uri: overrides.uri ?? '/.env',
      httpMethod: 'GET',
      ...('asn' in overrides ? { asn: overrides.asn } : {}),
    },
  });
}

describe('watchpost import with hostile logs', () => {
  it('skips absurd timestamps, non-IPs and a 1 MB line; the database still opens and reports', async () => {
    const siteId = await createSite();
    const file = join(dir, 'waf.log.gz');
    const lines = [
      waf(),
      waf({ timestamp: 9e15 }), // past the largest Date: crashed the import and bricked the database
      waf({ timestamp: 8.64e15 + 1 }),
      waf({ timestamp: Date.UTC(1999, 11, 31) }),
      waf({ timestamp: Date.UTC(2200, 0, 1) }),
      waf({ timestamp: '1e400' }),
      waf({ clientIp: '<script>' }),
      waf({ clientIp: 'not-an-ip' }),
      'x'.repeat(1024 * 1024),
      waf({
        uri: `/a\u0000\u001b[31m\u0085\ud800${'b'.repeat(5000)}`,
        ua: `ua\u009b\udc00${'u'.repeat(1000)}`,
        asn: 1e300,
      }),
    ];
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const result = await cli('import', '--db', db, '--site', siteId, '--format', 'aws-waf', file);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      linesRead: 10,
      imported: 2,
      skipped: 8,
      skippedByReason: { 'bad-timestamp': 5, 'bad-ip': 2, 'line-too-long': 1 },
    });
    // the database opens again and the report shows what was imported
    expect((await cli('sites', 'list', '--db', db)).code).toBe(0);
    const store = openSqliteStore({ path: db });
    try {
      const report = await buildDailyReport(store, (await store.getSite(siteId))!, '2026-03-09');
      expect(report.totals).toMatchObject({ requests: 2, blocked: 2 });
    } finally {
      await store.close();
    }
  });

  it('a truncated gzip file: a clear message naming the file, exit 1, and what came before is stored', async () => {
    const siteId = await createSite();
    const file = join(dir, 'cut.log.gz');
    const whole = gzipSync(Array.from({ length: 3000 }, (_, i) => waf({ timestamp: DAY + i })).join('\n'));
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const result = await cli('import', '--db', db, '--site', siteId, '--format', 'aws-waf', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /cut\.log\.gz: the gzip data ends early \(truncated\) after \d+ lines; \d+ events stored/,
    );
    expect(result.err.split('\n')).toHaveLength(1);
  });
});

describe('import --login-path (hostile values)', () => {
  it('refuses control bytes and 10k characters with a usage error naming the option', async () => {
    const site = await createSite();
    const file = join(dir, 'a.log');
    writeFileSync(file, waf() + '\n');
    for (const value of ['POST:/log\u0001in', '/' + 'a'.repeat(10_000)]) {
      const run = await cli('import', '--site', site, '--format', 'aws-waf', '--login-path', value, '--db', db, file);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/--login-path (must not contain control|is over 2048)/);
    }
  });
});
