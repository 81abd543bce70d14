import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-bin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('watchpost bin', () => {
  // npm and pnpm install bins as symlinks (or shims) in node_modules/.bin: the entry must run anyway.
  it.each([
    ['--version', 'the real path'],
    ['-v', 'a symlink'],
  ])('%s through %s prints the package version', async (flag, how) => {
    let entry = bin;
    if (how === 'a symlink') {
      entry = join(dir, 'watchpost.ts');
      symlinkSync(bin, entry);
    }
    const { stdout } = await run(tsx, [entry, flag]);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('--help through a symlink prints the usage', async () => {
    const entry = join(dir, 'watchpost.ts');
    symlinkSync(bin, entry);
    const { stdout } = await run(tsx, [entry, '--help']);
    expect(stdout).toMatch(/^Usage: watchpost <command>/);
  });
});
