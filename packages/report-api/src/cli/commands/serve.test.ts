import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { openSqliteStore } from '../../db/sqlite/open.js';

let dir: string;
let db: string;
let child: ChildProcess | undefined;
let stderr = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-serve-'));
  db = join(dir, 'w.db');
});
afterEach(async () => {
  // SIGTERM, which tsx passes on to the server it started: a SIGKILL would end tsx alone and leave
  // the server running after the tests. SIGKILL only if it has not stopped in 5 s.
  const running = child;
  if (running && running.exitCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real `watchpost serve` in a child process; resolves with its base URL. */
async function startServe(...argv: string[]): Promise<string> {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../../../node_modules/.bin/tsx', import.meta.url));
  const started = spawn(tsx, [main, 'serve', '--port', '0', '--db', db, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  stderr = '';
  started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start in 15 s')), 15_000);
    started.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    started.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function createSite(): Promise<string> {
  const out: string[] = [];
  expect(
    await runCli(['sites', 'create', 'shop', '--tz', 'UTC', '--db', db], { out: (s) => out.push(s), err: () => {} }),
  ).toBe(0);
  return (JSON.parse(out.join('\n')) as { adminKey: string }).adminKey;
}

describe('watchpost serve behind a TLS proxy', () => {
  it(
    'with --public-url https://watchpost.example, a sign-in from that origin succeeds and the cookie is ' + 'Secure',
    async () => {
      const adminKey = await createSite();
      const url = await startServe('--public-url', 'https://watchpost.example', '--session-secret', 'x'.repeat(32));
      // As the proxy forwards it: plain http to the local port, the browser's Origin header.
      const signIn = (origin: string) =>
        fetch(`${url}/dashboard/sign-in`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
          body: new URLSearchParams({ adminKey }).toString(),
        });
      const res = await signIn('https://watchpost.example');
      expect(res.status).toBe(303);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^watchpost_session=/);
      expect(cookie).toContain('Secure');
      // The origin check still refuses everyone else, the server's own http origin included.
      expect((await signIn(url)).status).toBe(403);
      expect((await signIn('https://evil.example')).status).toBe(403);
    },
  );
});

describe('watchpost serve retention', () => {
  it('purges audit-log entries past --audit-retention-days (default 400) at start, and keeps the rest', async () => {
    await createSite();
    const store = openSqliteStore({ path: db });
    const [site] = await store.listSites();
    const by = { actor: { kind: 'cli' as const, label: 'cli', keyId: null }, reason: '' };
    const old = { ...by, action: 'denylist.add', target: 'd1', before: null, after: null };
    await store.appendAudit(site!.id, old, Date.now() - 401 * 86_400_000);
    await store.appendAudit(site!.id, { ...old, target: 'd2' }, Date.now() - 399 * 86_400_000);
    await store.close();
    await startServe();
    expect(stderr).toContain('purged 1 audit-log entries older than 400 days');
    child!.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    const reopened = openSqliteStore({ path: db });
    const targets = (await reopened.listAudit(site!.id, { since: 0, limit: 100 })).entries.map((e) => e.target);
    await reopened.close();
    expect(targets).toContain('d2');
    expect(targets).not.toContain('d1');
    const err: string[] = [];
    const code = await runCli(['serve', '--db', db, '--audit-retention-days', '0'], {
      out: () => {},
      err: (line) => err.push(line),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/--audit-retention-days/);
  });
});
