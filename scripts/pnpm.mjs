#!/usr/bin/env node
// Runs pnpm from a fresh clone with nothing but Node.js and npm installed:
// fetches the pinned pnpm into .tools/ through npm (corepack is not used; its
// signature check fails against some registries), installs the workspace when
// the lockfile is newer than node_modules, then runs `pnpm ARGS...`, or with
// `--node ARGS...` runs `node ARGS...` itself (long-running commands such as the
// demo: Ctrl-C then reaches one process, and no package manager reports the
// clean stop as a failure).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const tools = join(root, '.tools');
const bin = join(tools, 'node_modules', '.bin');
const pnpm = join(bin, process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function installedVersion() {
  const pkg = join(tools, 'node_modules', 'pnpm', 'package.json');
  return existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : null;
}

if (installedVersion() !== version) {
  console.error(`[watchpost] fetching pnpm ${version} into .tools/ through npm`);
  run('npm', ['install', '--prefix', tools, '--no-save', '--no-package-lock', '--loglevel=error', `pnpm@${version}`]);
}

const env = { ...process.env, PATH: `${bin}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH}` };
// No telemetry calls from turbo or wrangler: they would only time out on closed networks.
env.TURBO_TELEMETRY_DISABLED ??= '1';
env.WRANGLER_SEND_METRICS ??= 'false';
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
const args = process.argv.slice(2);
const direct = args[0] === '--node';
// pnpm does not read npm's own config: pass npm's nodedir on (set where node headers are
// installed locally) so native modules such as better-sqlite3 build without a download.
// Asked only when something may be built: `npm config get` costs a few hundred ms.
if (!env.npm_config_nodedir && (stale || ['install', 'add', 'rebuild'].includes(args[0] ?? ''))) {
  const r = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' });
  const nodedir = r.status === 0 ? r.stdout.trim() : '';
  if (nodedir && nodedir !== 'undefined' && nodedir !== 'null') env.npm_config_nodedir = nodedir;
}
// Ctrl-C reaches the whole process group: this wrapper waits for its child and
// exits with the child's code, so the child alone decides how to stop.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
if (stale && args[0] !== 'install') {
  console.error('[watchpost] installing workspace dependencies (pnpm install --frozen-lockfile)');
  run(pnpm, ['install', '--frozen-lockfile'], { env });
  // pnpm leaves the marker alone when nothing changed; touch it so the next run skips this step.
  if (existsSync(marker)) utimesSync(marker, new Date(), new Date());
}
if (direct) run(process.execPath, args.slice(1), { env });
else run(pnpm, args, { env });
