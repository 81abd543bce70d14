import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../db/cases.js';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { cli } from '../../../test/cli.js';
import { batch, event } from '../../../test/helpers.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('watchpost cases', () => {
  it('refreshes a day, lists, denies with an expiry, dismisses with a note', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watchpost-cases-cli-'));
    const db = join(dir, 'watchpost.db');
    const store = openSqliteStore({ path: db });
    const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    const at = Date.UTC(2026, 11, 4, 8);
    const errors = (ip: string, path: string) =>
      Array.from({ length: 25 }, (_, i) => event({ ts: at + i * 1000, ip, path, status: 404 }));
    await store.ingestBatch(site.id, batch([...errors('203.0.113.7', '/x'), ...errors('198.51.100.9', '/.env')]));
    await store.close();
    const run = (...argv: string[]) => cli('cases', ...argv, '--site', site.id, '--db', db);

    expect((await run('refresh', '--date', '2026-12-04')).out).toBe(
      '2026-12-04: 2 new, 0 updated, 0 reopened, 0 denied by policy',
    );
    expect((await run('refresh', '--date', '2026-12-04')).out).toBe(
      '2026-12-04: 0 new, 0 updated, 0 reopened, 0 denied by policy',
    );
    const listed = JSON.parse((await run('list', '--json')).out) as Case[];
    expect(listed.map((c) => c.client).sort()).toEqual(['198.51.100.9', '203.0.113.7']);
    const [one, two] = listed as [Case, Case];

    const denied = await run('decide', '--id', one.id, '--action', 'deny', '--expiry', '30d', '--reason', 'scanner');
    expect(denied.code).toBe(0);
    expect(denied.out).toContain(`${one.id}  denied`);
    const noNote = await run('decide', '--id', two.id, '--action', 'dismiss');
    expect(noNote.code).toBe(2);
    expect(noNote.err).toContain('--reason: a note is required');
    expect((await run('decide', '--id', two.id, '--action', 'dismiss', '--reason', 'ours')).code).toBe(0);
    expect((await run('decide', '--id', 'case_nope', '--action', 'dismiss', '--reason', 'x')).code).toBe(2);
    expect((await run('decide', '--id', two.id, '--action', 'deny', '--expiry', '9y')).code).toBe(2);
    expect((await run('list')).out).toBe(`no new cases for site ${site.id}`);
    const all = (await run('list', '--state', 'denied,dismissed')).out.split('\n');
    expect(all).toHaveLength(2);
    expect((await run('list', '--state', 'bogus')).code).toBe(2);

    const reopened = openSqliteStore({ path: db });
    const deny = await reopened.listDenyEntries(site.id, Date.now());
    expect(deny).toEqual([expect.objectContaining({ value: one.client, reason: 'scanner' })]);
    expect(deny[0]!.expiresAt! - deny[0]!.createdAt).toBe(30 * 86_400_000);
    const audit = await reopened.listAudit(site.id, { since: 0, limit: 10 });
    expect(audit.entries.map((e) => `${e.action}:${e.actor.label}`)).toEqual([
      'denylist.add:cli',
      'case.deny:cli',
      'case.dismiss:cli',
    ]);
    await reopened.close();
  });

  it('shows and sets auto-deny policies, refusing unknown ones', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watchpost-cases-cli-'));
    const db = join(dir, 'watchpost.db');
    const store = openSqliteStore({ path: db });
    const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    await store.close();
    const run = (...argv: string[]) => cli('cases', 'policies', ...argv, '--site', site.id, '--db', db);
    expect(JSON.parse((await run()).out)).toEqual({ autoDeny: [], expiry: '7d' });
    expect(JSON.parse((await run('--auto-deny', 'scanner-probe', '--expiry', '1d')).out)).toEqual({
      autoDeny: ['scanner-probe'],
      expiry: '1d',
    });
    expect((await run('--auto-deny', 'deny-everyone')).code).toBe(2);
    expect((await run('--expiry', 'forever')).code).toBe(2);
    expect(JSON.parse((await run('--auto-deny', 'none')).out)).toEqual({ autoDeny: [], expiry: '1d' });
  });

  it('prints help', async () => {
    const help = await cli('cases', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('watchpost cases decide');
  });
});
