import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../db/sqlite/open.js';
import { batch, event } from '../../test/helpers.js';
import { defaultIo, runCli } from './main.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-cli-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('watchpost CLI', () => {
  it('creates a site, prints its keys once, lists it, and reports on it', async () => {
    const created = await cli('sites', 'create', 'shop', '--tz', 'Asia/Tokyo', '--home-country', 'jp', '--db', db);
    expect(created.code).toBe(0);
    const site = JSON.parse(created.out) as { id: string; ingestKey: string; adminKey: string; homeCountry: string };
    expect(site).toMatchObject({
      homeCountry: 'JP',
      ingestKey: expect.stringMatching(/^wpi_/),
      adminKey: expect.stringMatching(/^wpa_/),
    });
    const listed = await cli('sites', 'list', '--db', db);
    expect(listed.out).toContain(site.id);
    expect(listed.out).not.toContain(site.adminKey);

    const store = openSqliteStore({ path: db });
    await store.ingestBatch(site.id, batch([event({ ts: Date.UTC(2026, 2, 1, 3) })]));
    await store.close();
    const json = await cli('report', '--site', site.id, '--date', '2026-03-01', '--db', db);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ date: '2026-03-01', totals: { requests: 1 } });
    const md = await cli('report', '--site', site.id, '--date', '2026-03-01', '--format', 'md', '--db', db);
    expect(md.out).toContain('Requests: *1*');
    const page = await cli(
      'report',
      '--site',
      site.id,
      '--date',
      '2026-03-01',
      '--format',
      'html',
      '--public-url',
      'https://watchpost.example',
      '--db',
      db,
    );
    expect(page.code).toBe(0);
    expect(page.out).toMatch(/^<!doctype html>/);
    expect(page.out).toContain('shop: daily report for 2026-03-01');
    expect(page.out).toContain('<base href="https://watchpost.example/">');
  });

  it.each([
    {
      argv: ['sites', 'create', 'x', '--tz', 'Mars/Base', '--db', 'DB'],
      error: /--tz: "Mars\/Base" is not an IANA time zone/,
    },
    { argv: ['sites', 'create', 'x', '--tz', 'UTC', '--home-country', 'JPN', '--db', 'DB'], error: /--home-country/ },
    { argv: ['sites', 'create', '--tz', 'UTC', '--db', 'DB'], error: /NAME is required/ },
    { argv: ['sites', 'create', 'x', '--db', 'DB'], error: /--tz is required/ },
    { argv: ['sites', 'frobnicate'], error: /unknown action/ },
    { argv: ['sites', 'list', '--colour'], error: /Unknown option '--colour'/ },
    { argv: ['report', '--site', 's', '--date', '2026-02-30', '--db', 'DB'], error: /not a calendar date/ },
    { argv: ['report', '--site', 'site_nope', '--date', '2026-02-01', '--db', 'DB'], error: /no site "site_nope"/ },
    { argv: ['report', '--site', 's', '--date', '2026-02-01', '--format', 'pdf', '--db', 'DB'], error: /--format/ },
    { argv: ['report', '--date', '2026-02-01', '--db', 'DB'], error: /--site is required/ },
    {
      argv: [
        'report',
        '--site',
        's',
        '--date',
        '2026-02-01',
        '--format',
        'html',
        '--public-url',
        'ftp://x',
        '--db',
        'DB',
      ],
      error: /--public-url/,
    },
    { argv: ['serve', '--port', '99999', '--db', 'DB'], error: /--port/ },
    {
      argv: ['serve', '--port', '0', '--session-secret', 'too-short', '--db', 'DB'],
      error: /--session-secret: the session secret must be at least 32/,
    },
    { argv: ['report', '--site', 's', '--date', '2026-02-01', '--db', '/no/such/dir/w.db'], error: /does not exist/ },
    { argv: ['nonsense'], error: /unknown command "nonsense"/ },
  ])('$argv.0 $argv.1: bad argument → exit 2 and one line', async ({ argv, error }) => {
    await openSqliteStore({ path: db }).close(); // commands that take --site never create a database
    const result = await cli(...argv.map((a) => (a === 'DB' ? db : a)));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(error);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it.each([['serve'], ['sites'], ['report']])('%s --help prints usage and exits 0', async (name) => {
    const result = await cli(name, '--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(String.raw`^Usage:\s+watchpost ${name}`));
  });

  it('serve listens, answers /healthz and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [main, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('serve did not start in 15 s')), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('terminal output', () => {
  it('writes what a terminal would act on (ESC, C1 CSI, bidi override) as \\u escapes; JSON stays equal', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const json = JSON.stringify({ ua: 'x\u001b]8;;https://evil.example\u0007y\u009b2J\u202Ez' });
      defaultIo.out(json);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe('{"ua":"x\\u001b]8;;https://evil.example\\u0007y\\u009b2J\\u202ez"}\n');
    expect(JSON.parse(written.join(''))).toEqual({ ua: 'x\u001b]8;;https://evil.example\u0007y\u009b2J\u202Ez' });
  });
});
