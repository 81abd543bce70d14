import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { Case } from '../db/cases.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { DailyReport } from '../reports/types.js';
import { cli } from '../../test/cli.js';
import { batch, event } from '../../test/helpers.js';
import { parseIpList } from './iplist.js';

const NOW = Date.parse('2026-12-05T00:00:00Z');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('threat lists (--format iplist)', () => {
  it('keeps IPs and blocks, skips the rest with their line numbers', () => {
    const parsed = parseIpList([
      '# a drop list',
      '192.0.2.0/24 ; spam',
      '192.0.2.0/24',
      '2001:DB8::/32  # abuse',
      '',
      '<script>alert(1)</script>',
      '10.0.0.010',
      '1.2.3.4/33',
      'x'.repeat(5000),
    ]);
    expect(parsed.values).toEqual(['192.0.2.0/24', '2001:DB8::/32']);
    expect(parsed).toMatchObject({ skipped: 5, skippedLines: [2, 6, 7, 8, 9], truncated: false });
  });

  it('marks the day’s clients on a list in the report, and feeds cases and the intel-list policy', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watchpost-iplist-'));
    const db = join(dir, 'watchpost.db');
    const store = openSqliteStore({ path: db, now: () => NOW });
    const { site, adminKey } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    const at = Date.parse('2026-12-04T04:00:00Z');
    await store.ingestBatch(
      site.id,
      batch([
        ...Array.from({ length: 3 }, (_, i) => event({ ts: at + i, ip: '192.0.2.77' })),
        event({ ts: at, ip: '198.51.100.1' }),
      ]),
    );
    await store.putPolicies(site.id, { autoDeny: ['intel-list'], expiry: '7d' }, NOW);
    await store.close();
    const file = join(dir, 'drop.txt.gz');
    writeFileSync(file, gzipSync('# drop\n192.0.2.0/24\nnot-an-ip\n'));
    const run = (...argv: string[]) => cli('import', '--site', site.id, '--format', 'iplist', ...argv, '--db', db);
    expect(JSON.parse((await run('--source', 'drop', file)).out)).toEqual({
      source: 'drop',
      entries: 1,
      skipped: 1,
      skippedLines: [3],
      truncated: false,
    });
    expect((await run('--source', '../etc', file)).code).toBe(2);
    expect((await run(file)).code).toBe(2);

    const reopened = openSqliteStore({ path: db, now: () => NOW });
    try {
      const app = createApp({ store: reopened, now: () => NOW, logError: () => undefined });
      const get = async (path: string, init: RequestInit = {}) =>
        (await app.request(path, { ...init, headers: { authorization: `Bearer ${adminKey}` } })).json();
      const report = (await get('/v1/reports/daily?date=2026-12-04')) as DailyReport;
      expect(report.intel).toEqual({
        sources: [{ source: 'drop', entries: 1 }],
        clients: 1,
        matches: [{ ip: '192.0.2.77', sources: ['drop'], requests: 3, blocked: 0 }],
      });
      const refreshed = await get(`/v1/sites/${site.id}/cases/refresh?date=2026-12-04`, { method: 'POST' });
      expect(refreshed).toMatchObject({ created: 1, autoDenied: 1 });
      const [denied] = ((await get(`/v1/sites/${site.id}/cases?refresh=0&state=denied`)) as { cases: Case[] }).cases;
      expect(denied).toMatchObject({
        client: '192.0.2.77',
        kinds: ['intel'],
        decision: { actor: { label: 'intel-list' } },
      });
      // Re-importing the source replaces it: an empty list marks nobody.
      writeFileSync(file, '# emptied\n');
      expect(JSON.parse((await run('--source', 'drop', file)).out)).toMatchObject({ entries: 0 });
      expect(((await get('/v1/reports/daily?date=2026-12-04')) as DailyReport).intel).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });
});
