#!/usr/bin/env node
// Pack smoke test: builds and `npm pack`s @watchpost/middleware and @watchpost/report-api, installs
// the tarballs with npm into a fresh app in a temp dir outside the workspace (Express 4 and 5, ESM and
// CommonJS, Hono on @hono/node-server, strict nodenext TypeScript), type-checks it, runs each server
// (a denied IP must get 403, another 200) and the installed `watchpost` CLI. Exit 0 ok, 1 failed,
// 3 skipped because the npm registry is unreachable (never with CI=true: then it fails).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { manifest, servers, typed } from './pack-smoke/apps.mjs';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['middleware', 'report-api'];
const started = Date.now();
const step = (what) => console.log(`[pack-smoke] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
// The scratch app runs as a user's would: without this repository's `@watchpost/source` condition.
const env = { ...process.env };
delete env['NODE_OPTIONS'];
delete env['WRANGLER_BUILD_CONDITIONS'];
const run = (cmd, args, cwd, timeout = 240_000) => exec(cmd, args, { cwd, env, timeout, maxBuffer: 32 << 20 });

async function registryReachable() {
  try {
    await run('npm', ['ping', '--fetch-timeout=8000', '--fetch-retries=0'], tmpdir(), 20_000);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  if (!(await registryReachable())) {
    const message = '[pack-smoke] SKIPPED: the npm registry is unreachable, tarballs were NOT tested';
    console.error(`\n${'!'.repeat(message.length)}\n${message}\n${'!'.repeat(message.length)}\n`);
    return process.env['CI'] === 'true' ? 1 : 3;
  }
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-pack-smoke-'));
  try {
    const tarballDir = join(dir, 'tarballs');
    mkdirSync(tarballDir);
    const tsc = join(root, 'node_modules/.bin/tsc');
    const tarballs = {};
    for (const name of packages) {
      const cwd = join(root, 'packages', name);
      await run(tsc, ['-p', 'tsconfig.build.json'], cwd);
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tarballDir], cwd);
      const [packed] = JSON.parse(stdout);
      checkPacked(packed);
      tarballs[packed.name] = join(tarballDir, packed.filename);
    }
    step('built and packed');

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify(manifest(tarballs), null, 2));
    for (const [file, text] of Object.entries({ ...servers, ...typed })) writeFileSync(join(app, file), text);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    step('installed');

    await run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
    step('type-checked (strict, nodenext)');

    await Promise.all(
      Object.keys(servers).map(async (file) => {
        const { stdout } = await run('node', [file], app, 30_000);
        const statuses = JSON.parse(stdout.trim().split('\n').at(-1));
        if (statuses.denied !== 403 || statuses.allowed !== 200) {
          throw new Error(`${file}: denied IP got ${statuses.denied}, normal IP got ${statuses.allowed}`);
        }
      }),
    );
    step(`servers refuse the denied IP: ${Object.keys(servers).join(', ')}`);

    await checkCli(app, dir);
    step('installed watchpost CLI runs');
    return 0;
  } finally {
    if (process.env['WATCHPOST_PACK_SMOKE_KEEP']) console.log(`[pack-smoke] kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** What `npm pack` put in: dist, no tests or test helpers, no demo, no sources, no workspace: versions. */
function checkPacked(packed) {
  const paths = packed.files.map((file) => file.path);
  const wrong = paths.filter((path) => /\.test\.|^src\/|^test\/|\/testing\/|^dist\/demo\//.test(path));
  if (wrong.length > 0) throw new Error(`${packed.name} ships ${wrong.slice(0, 5).join(', ')}`);
  if (!paths.includes('dist/index.js')) throw new Error(`${packed.name} lacks dist/index.js`);
}

async function checkCli(app, dir) {
  const watchpost = join(app, 'node_modules/.bin/watchpost');
  const help = await run(watchpost, ['--help'], app, 30_000);
  if (!/^Usage: watchpost/.test(help.stdout)) throw new Error(`watchpost --help printed ${help.stdout}`);
  const version = await run(watchpost, ['--version'], app, 30_000);
  if (!/^\d+\.\d+\.\d+/.test(version.stdout)) throw new Error(`watchpost --version printed ${version.stdout}`);
  const db = join(dir, 'smoke.db');
  const created = await run(watchpost, ['sites', 'create', 'smoke', '--tz', 'UTC', '--db', db], app, 30_000);
  if (!/smoke/.test(created.stdout)) throw new Error(`watchpost sites create printed ${created.stdout}`);
  if (!readdirSync(dir).includes('smoke.db')) throw new Error('watchpost sites create made no database');
  // An ALB import runs its parser on a worker thread loaded from the packed dist: it must resolve there.
  const site = JSON.parse(created.stdout).id;
  const log = join(root, 'packages/report-api/src/importers/fixtures/alb-logins.log');
  const imported = await run(watchpost, ['import', '--site', site, '--format', 'alb', '--db', db, log], app, 60_000);
  const summary = JSON.parse(imported.stdout);
  if (summary.linesRead !== 19 || summary.imported < 1) {
    throw new Error(`watchpost import printed ${imported.stdout} ${imported.stderr}`);
  }
}

main().then(
  (code) => {
    if (code === 0) step('passed');
    process.exitCode = code;
  },
  (error) => {
    console.error(`[pack-smoke] FAILED: ${error?.message ?? error}\n${error?.stdout ?? ''}${error?.stderr ?? ''}`);
    process.exitCode = 1;
  },
);
