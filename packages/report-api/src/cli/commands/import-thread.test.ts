import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../../test/cli.js';
import { UsageError } from '../args.js';
import {
  importOnThread,
  importThreadData,
  parsesOnImportThread,
  runImportThread,
  type ImportThreadMessage,
} from './import-thread-start.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-import-thread-'));
  db = join(dir, 'w.db');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function siteAndLog(): Promise<{ siteId: string; log: string }> {
  const created = await cli('sites', 'create', 'shop', '--tz', 'UTC', '--db', db);
  const log = join(dir, 'access.log');
  const second = (i: number) => String(i).padStart(2, '0');
  const line = (i: number) =>
    `198.51.100.${i} - - [09/Mar/2026:10:00:${second(i)} +0000] "GET /p/${i} HTTP/1.1" 200 10 "-" "curl/8.5"`;
  writeFileSync(log, Array.from({ length: 20 }, (_, i) => line(i)).join('\n') + '\n');
  return { siteId: (JSON.parse(created.out) as { id: string }).id, log };
}

describe('the import thread', () => {
  it('runs the import and relays its output; the progress line goes to this stderr', async () => {
    const { siteId, log } = await siteAndLog();
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
    const out: string[] = [];
    const code = await importOnThread(
      ['--db', db, '--site', siteId, '--format', 'combined', log],
      { out: (text) => out.push(text), err: (text) => out.push(`err: ${text}`) },
      { progress: true, parses: true },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ linesRead: 20, imported: 20 });
    // At least the line cleared once done (drawn at most every 250 ms, so maybe not drawn at all).
    expect(written.join('')).toMatch(/\r/);
  });

  it('a usage error found on the thread comes back as one; another error keeps its message', async () => {
    const { log } = await siteAndLog();
    const io = { out: () => {}, err: () => {} };
    const unknownSite = importOnThread(['--db', db, '--site', 'site_nope', '--format', 'alb', log], io, {
      progress: false,
      parses: false,
    });
    await expect(unknownSite).rejects.toThrow(UsageError);
    await expect(unknownSite).rejects.toThrow(/no site "site_nope"/);
    const missingDb = importOnThread(['--db', join(dir, 'none.db'), '--site', 's', '--format', 'alb', log], io, {
      progress: false,
      parses: false,
    });
    await expect(missingDb).rejects.toThrow(/none\.db/);
  });

  it('on the thread: output, exit code and failures become messages', async () => {
    const posted: ImportThreadMessage[] = [];
    await runImportThread(
      async (_argv, io) => (io.out('summary'), io.err('warning'), 3),
      [],
      (m) => posted.push(m),
    );
    expect(posted).toEqual([
      { type: 'out', text: 'summary' },
      { type: 'err', text: 'warning' },
      { type: 'done', code: 3 },
    ]);
    posted.length = 0;
    await runImportThread(
      () => Promise.reject(new UsageError('bad --site')),
      [],
      (m) => posted.push(m),
    );
    await runImportThread(
      () => Promise.reject(new RangeError('broken gzip')),
      [],
      (m) => posted.push(m),
    );
    await runImportThread(
      () => Promise.reject('a string'),
      [],
      (m) => posted.push(m),
    );
    expect(posted).toEqual([
      { type: 'failed', usage: true, name: 'UsageError', message: 'bad --site' },
      { type: 'failed', usage: false, name: 'RangeError', message: 'broken gzip' },
      { type: 'failed', usage: false, name: 'Error', message: 'a string' },
    ]);
  });

  it('watchpost import hands its work to the thread unless WATCHPOST_IMPORT_THREAD=off', async () => {
    const { siteId, log } = await siteAndLog();
    vi.stubEnv('WATCHPOST_IMPORT_THREAD', '');
    const result = await cli('import', '--db', db, '--site', siteId, '--format', 'combined', log);
    vi.unstubAllEnvs();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ linesRead: 20, imported: 20 });
  });

  it('is not this thread unless WATCHPOST_IMPORT_THREAD=off; combined logs and --single-thread parse on it', () => {
    vi.stubEnv('WATCHPOST_IMPORT_THREAD', '');
    expect(importThreadData()).toBeNull();
    vi.stubEnv('WATCHPOST_IMPORT_THREAD', 'off');
    expect(importThreadData()).toMatchObject({ progress: process.stderr.isTTY === true });
    vi.unstubAllEnvs();
    expect(parsesOnImportThread(false, 'combined')).toBe(true);
    expect(parsesOnImportThread(true, 'alb')).toBe(true);
    expect(parsesOnImportThread(false, 'aws-waf')).toBe(false);
  });
});
