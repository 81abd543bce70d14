import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../db/sqlite/open.js';
import type { ApiKeyInfo } from '../../db/keys.js';
import type { AuditPage } from '../../db/audit.js';
import { cli } from '../../../test/cli.js';
import { describePostgres, tempPostgresStore } from '../../../test/postgres.js';

interface Db {
  db: string;
  cleanup(): Promise<void>;
}

/** `watchpost keys`, `audit` and `sites rename|delete` on a database made by `open`. */
function keysCli(open: () => Promise<Db>) {
  let d: Db | undefined;
  afterEach(async () => {
    await d?.cleanup();
    d = undefined;
  });
  const run = (...argv: string[]) => cli(...argv, '--db', d!.db);
  const createSite = async (name = 'shop') => {
    const created = await run('sites', 'create', name, '--tz', 'UTC');
    expect(created.code).toBe(0);
    return JSON.parse(created.out) as { id: string; adminKey: string; ingestKey: string };
  };

  it('creates a labelled key, lists keys without secrets, rotates and revokes; all in the audit log', async () => {
    d = await open();
    const site = await createSite();
    const created = await run('keys', 'create', '--site', site.id, '--label', 'alice', '--reason', 'new admin');
    expect(created.code).toBe(0);
    const alice = JSON.parse(created.out) as ApiKeyInfo & { key: string };
    expect(alice).toMatchObject({ role: 'admin', label: 'alice', key: expect.stringMatching(/^wpa_/) });
    const listed = await run('keys', 'list', '--site', site.id);
    for (const secret of [alice.key, site.adminKey, site.ingestKey]) expect(listed.out).not.toContain(secret);
    const keys = JSON.parse(listed.out) as ApiKeyInfo[];
    expect(keys.map((k) => `${k.role}:${k.label}`).sort()).toEqual(['admin:alice', 'admin:initial', 'ingest:initial']);

    const ingest = keys.find((k) => k.role === 'ingest')!;
    const rotated = await run('keys', 'rotate', '--site', site.id, '--id', ingest.id, '--reason', 'leaked');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.out)).toMatchObject({ role: 'ingest', label: 'initial', rotates: ingest.id });
    expect(rotated.err).toMatch(/still works/);
    expect(JSON.parse((await run('keys', 'list', '--site', site.id)).out)).toHaveLength(4);
    expect((await run('keys', 'revoke', '--site', site.id, '--id', ingest.id)).code).toBe(0);
    expect((await run('keys', 'revoke', '--site', site.id, '--id', ingest.id)).code).toBe(1);
    expect((await run('keys', 'revoke', '--site', site.id, '--id', alice.id)).code).toBe(0);
    const initialAdmin = keys.find((k) => k.role === 'admin' && k.label === 'initial')!;
    const last = await run('keys', 'revoke', '--site', site.id, '--id', initialAdmin.id);
    expect([last.code, last.err]).toEqual([1, expect.stringMatching(/last admin key/)]);

    const audit = await run('audit', '--site', site.id, '--json');
    const page = JSON.parse(audit.out) as AuditPage;
    expect(page.entries.map((e) => [e.action, e.actor.kind, e.actor.label])).toEqual([
      ['key.create', 'cli', 'cli'],
      ['key.create', 'cli', 'cli'],
      ['key.revoke', 'cli', 'cli'],
      ['key.revoke', 'cli', 'cli'],
    ]);
    expect(page.entries[1]!.reason).toBe('leaked');
    const text = await run('audit', '--site', site.id, '--limit', '2');
    expect(text.out.split('\n')).toHaveLength(3);
    expect(text.out).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}cli "cli" {2}key\.create {2}key_\S+ {2}"new admin"$/m,
    );
    expect(text.out).toMatch(/\(more: --cursor \d+\.\d+\)$/);
  });

  it('refuses hostile labels and reasons, and shows stored text escaped', async () => {
    d = await open();
    const site = await createSite();
    for (const label of ['a\u001b]8;;https://evil.example\u0007b', 'a\nb', 'a\u202Eb', '']) {
      const res = await run('keys', 'create', '--site', site.id, '--label', label);
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/--label/);
    }
    expect((await run('keys', 'create', '--site', site.id, '--label', 'x', '--reason', 'a\u009bb')).code).toBe(2);
    expect((await run('keys', 'create', '--site', site.id, '--label', 'x', '--kind', 'root')).code).toBe(2);
    expect((await run('audit', '--site', site.id, '--since', 'yesterday')).code).toBe(2);
    expect((await run('audit', '--site', site.id, '--limit', '100000')).code).toBe(2);
    // Text that got into the log another way (an older version, the store directly) is escaped on the way out.
    const ok = await run('keys', 'create', '--site', site.id, '--label', '__proto__', '--reason', '<b>**x**</b>');
    expect(ok.code).toBe(0);
    const text = (await run('audit', '--site', site.id)).out;
    expect(text).toContain('"<b>**x**</b>"');
    expect((await run('audit', '--site', 'site_missing')).code).toBe(2);
  });

  it('renames a site and deletes it only with --confirm', async () => {
    d = await open();
    const site = await createSite();
    const other = await createSite('other');
    expect((await run('sites', 'rename', '--site', site.id, '--name', 'x\u0007')).code).toBe(2);
    const renamed = await run('sites', 'rename', '--site', site.id, '--name', 'shop (prod)', '--reason', 'launch');
    expect([renamed.code, JSON.parse(renamed.out).name]).toEqual([0, 'shop (prod)']);
    expect((await run('sites', 'delete', '--site', site.id)).code).toBe(2);
    expect((await run('sites', 'delete', '--site', site.id, '--confirm', other.id)).code).toBe(2);
    const deleted = await run('sites', 'delete', '--site', site.id, '--confirm', site.id, '--reason', 'closed');
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.out)).toMatchObject({ deleted: site.id, rows: expect.any(Number) });
    const sites = JSON.parse((await run('sites', 'list')).out) as Array<{ id: string }>;
    expect(sites.map((s) => s.id)).toEqual([other.id]);
    expect((await run('keys', 'list', '--site', site.id)).code).toBe(2);
  });

  it('a renamed site with markup in its name is escaped in the Markdown and HTML reports', async () => {
    d = await open();
    const site = await createSite();
    const name = '<img src=x onerror=alert(1)> *shop* [x](https://evil.example)';
    expect((await run('sites', 'rename', '--site', site.id, '--name', name)).code).toBe(0);
    const md = await run('report', '--site', site.id, '--date', '2026-03-01', '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.out).toContain('\\<img src\\=x onerror\\=alert\\(1\\)\\> \\*shop\\* \\[x\\]\\(https\\:');
    expect(md.out).not.toMatch(/(?<!\\)<img/); // only the escaped \<img
    const html = await run('report', '--site', site.id, '--date', '2026-03-01', '--format', 'html');
    expect(html.code).toBe(0);
    expect(html.out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.out).not.toContain('<img src=x');
  });

  it('documents every action in --help', async () => {
    d = await open();
    const keys = await cli('keys', '--help');
    expect(keys.code).toBe(0);
    for (const action of ['create', 'list', 'rotate', 'revoke', '--label', '--kind'])
      expect(keys.out).toContain(action);
    const sites = await cli('sites', '--help');
    for (const action of ['rename', 'delete', '--confirm']) expect(sites.out).toContain(action);
    const audit = await cli('audit', '--help');
    for (const option of ['--since', '--limit', '--json']) expect(audit.out).toContain(option);
    const top = await cli('--help');
    expect(top.out).toMatch(/^ {2}keys {2,}create, list, rotate or revoke/m);
    expect(top.out).toMatch(/^ {2}audit {2,}show a site's audit log/m);
  });
}

describe('watchpost keys, audit, sites rename|delete on SQLite', () => {
  keysCli(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-keys-'));
    const db = join(dir, 'watchpost.db');
    openSqliteStore({ path: db }).close();
    return { db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});

describePostgres('watchpost keys, audit, sites rename|delete on PostgreSQL', () => {
  keysCli(async () => {
    const t = await tempPostgresStore();
    return { db: t.url, cleanup: t.cleanup };
  });
});
