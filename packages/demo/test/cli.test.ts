import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@watchpost/report-api';
import { runDemoCli } from '../src/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'watchpost-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo (command line)', () => {
  it('prints its options with --help', async () => {
    const { io, out } = capture();
    expect(await runDemoCli(['--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('--exit-after-traffic');
  });

  it.each([
    [['--port', 'eighty'], '--port must be a whole number'],
    [['--size', '5'], '--size must be a whole number from 100'],
    [['--fresh'], '--fresh needs --db PATH'],
    [['--colour'], "Unknown option '--colour'"],
    [['--db', 'postgres://db/watchpost'], 'not PostgreSQL'],
    [['--db', 'mysql://db/watchpost'], 'not a mysql:// URL'],
    [['--db', 'demo\u001b[2J.db'], 'control character'],
    [['--db', ''], '--db: empty'],
    [['extra'], "Unexpected argument 'extra'"],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const { io, err } = capture();
    expect(await runDemoCli(args, io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('refuses to overwrite an existing --db without --fresh', async () => {
    const path = join(dir, 'taken.db');
    writeFileSync(path, 'not a database');
    const { io, err } = capture();
    expect(await runDemoCli(['--db', path, '--port', '0', '--exit-after-traffic'], io)).toBe(1);
    expect(err.join('\n')).toContain('--fresh');
  });

  it('names the busy port instead of failing with EADDRINUSE', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const { io, err } = capture();
      expect(await runDemoCli(['--port', String(port), '--exit-after-traffic'], io)).toBe(1);
      expect(err.join('\n')).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('plays a small day into --db and exits after the traffic with --exit-after-traffic', async () => {
    const path = join(dir, 'demo.db');
    writeFileSync(path, 'replaced by --fresh');
    const { io, out } = capture();
    expect(
      await runDemoCli(['--db', path, '--fresh', '--port', '0', '--size', '300', '--exit-after-traffic'], io),
    ).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/playing \d{4}-\d{2}-\d{2}: \d+ requests/);
    expect(text).toContain('traffic played and stored');
    expect(text).toContain('stopped.');
  });

  it('serves until Ctrl-C, then stops everything and keeps the --db file', async () => {
    const path = join(dir, 'kept.db');
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--db', path, '--port', '0', '--size', '100'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    let output = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!interrupted && output.includes('Press Ctrl-C to stop.')) interrupted = child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);
    // Signing in opens the report of the day played, whose date the summary names.
    const played = /Report +(\d{4}-\d{2}-\d{2})/.exec(output)?.[1];
    const signIn = 'Dashboard +http://127\\.0\\.0\\.1:\\d+/dashboard/sign-in';
    expect(output).toMatch(new RegExp(`${signIn}\\?next=%2Fdashboard%2Fsites%2Fsite_[\\w-]+%3Fdate%3D${played}\\s`));
    expect(output).toMatch(/Admin key +wpa_/);
    expect(output).toContain('Ctrl-C: stopping');
    expect(output.trimEnd().endsWith('stopped.')).toBe(true);
    expect(code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const store = openSqliteStore({ path });
    try {
      expect((await store.listSites()).map((site) => site.name)).toEqual(['Demo shop']);
    } finally {
      await store.close();
    }
  }, 60_000);
});
