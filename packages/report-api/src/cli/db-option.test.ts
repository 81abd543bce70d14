import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './main.js';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-db-option-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const reportArgs = ['report', '--site', 'site_x', '--date', '2026-03-01'];

describe('--db schemes', () => {
  it.each([
    ['mysql://', 'mysql://root@127.0.0.1:3306/watchpost', /unsupported scheme "mysql:\/\/"/],
    ['http://', 'http://127.0.0.1:8787', /unsupported scheme "http:\/\/"/],
    ['MONGODB+SRV://', 'MONGODB+SRV://db.example/x', /unsupported scheme "mongodb\+srv:\/\/"/],
    ['sqlite://', 'sqlite://./watchpost.db', /sqlite:\/\/ URLs are not taken; pass the SQLite file path itself/],
    ['file://', 'file:///tmp/watchpost.db', /file:\/\/ URLs are not taken/],
    ['empty', '', /--db: empty/],
    ['a newline', 'watchpost.db\nrm -rf', /control character/],
  ])('refuses %s with exit 2 and creates no file', async (_name, db, message) => {
    for (const argv of [
      [...reportArgs, '--db', db],
      ['sites', 'list', '--db', db],
      ['sites', 'create', 'shop', '--tz', 'UTC', '--db', db],
    ]) {
      const result = await cli(...argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes a file path, including one with a colon, and postgres:// / postgresql:// URLs', async () => {
    expect((await cli('sites', 'create', 'shop', '--tz', 'UTC', '--db', 'weird:name.db')).code).toBe(0);
    expect(existsSync(join(dir, 'weird:name.db'))).toBe(true);
    // A malformed PostgreSQL URL gets the PostgreSQL message, proving the scheme was recognised.
    for (const scheme of ['postgres', 'postgresql', 'POSTGRES']) {
      const result = await cli('sites', 'list', '--db', `${scheme}://[bad`);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/malformed PostgreSQL URL/);
    }
  });
});

describe('commands that only read never create a database', () => {
  it.each([
    ['report', reportArgs],
    ['sites list', ['sites', 'list']],
    ['webhooks list', ['webhooks', 'list', '--site', 'site_x']],
    ['alerts deliveries', ['alerts', 'deliveries', '--site', 'site_x']],
    ['import', ['import', '--site', 'site_x', '--format', 'combined', 'access.log']],
  ])('%s without --db: exit 1, a clear message, no ./watchpost.db', async (_name, argv) => {
    writeFileSync(join(dir, 'access.log'), '127.0.0.1 - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1\n');
    const result = await cli(...argv);
    expect(result.code).toBe(1);
    expect(result.err).toContain('no database at ./watchpost.db; run `watchpost serve` or pass --db');
    expect(existsSync(join(dir, 'watchpost.db'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['access.log']); // no -wal, -shm or journal either
  });

  it('report with --db naming a missing file: exit 1, file not created', async () => {
    const noDirectory = await cli(...reportArgs, '--db', 'data/missing.db');
    expect(noDirectory.code).toBe(2);
    expect(noDirectory.err).toMatch(/--db: directory .*data does not exist/);
    mkdirSync(join(dir, 'data'));
    const noFile = await cli(...reportArgs, '--db', 'data/missing.db');
    expect(noFile.code).toBe(1);
    expect(noFile.err).toBe('watchpost report: no database at data/missing.db; run `watchpost serve` or pass --db');
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
  });

  it('still reads a database that exists, and sites create still makes a new one', async () => {
    expect((await cli('sites', 'create', 'shop', '--tz', 'UTC')).code).toBe(0);
    expect(existsSync(join(dir, 'watchpost.db'))).toBe(true);
    const listed = await cli('sites', 'list');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toHaveLength(1);
  });
});
