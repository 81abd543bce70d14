// Starts `wrangler dev` (local mode, no login, no telemetry, no update check) and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** A free TCP port on 127.0.0.1 (wrangler takes a number, not 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What `startWranglerDev` requests to learn that the worker answers; tests leave its event out. */
export const READY_PATH = '/__watchpost_e2e_ready';

export interface WranglerDev {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

interface StartOptions {
  vars: Record<string, string>;
  cf: Record<string, unknown>;
  env?: string;
  startupTimeoutMs?: number;
}

/** Attempts when the port `freePort` found is taken before wrangler binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Runs `wrangler dev` for this package with `--var` settings and waits (bounded) until it answers.
 * A free port is only free until someone takes it (the other test files start wrangler and workerd
 * too): when wrangler reports the address in use, it is started again on fresh ports.
 * `request.cf` comes from a local file (CLOUDFLARE_CF_FETCH_PATH), so nothing is fetched from
 * Cloudflare; a client IP is set per request with CF-Connecting-IP, which local dev keeps when the
 * client sends it (it fills in the socket address only when the header is absent).
 */
export async function startWranglerDev(options: StartOptions): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !/Address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce({ vars, cf, env, startupTimeoutMs = 60_000 }: StartOptions): Promise<WranglerDev> {
  const scratch = mkdtempSync(join(tmpdir(), 'watchpost-edge-e2e-'));
  const cfPath = join(scratch, 'cf.json');
  writeFileSync(cfPath, JSON.stringify(cf));
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    join(packageDir, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    join(scratch, 'state'),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    '--log-level',
    'info',
    ...(env ? ['--env', env] : []),
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ];
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: packageDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_HIDE_BANNER: 'true',
      WRANGLER_LOG_PATH: join(scratch, 'logs'),
      CLOUDFLARE_CF_FETCH_PATH: cfPath,
      MINIFLARE_CACHE_DIR: join(scratch, 'cache'),
      NO_COLOR: '1',
    },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  /** Stops wrangler (and workerd) and deletes the scratch directory (state, logs, cf.json). */
  async function stop(): Promise<void> {
    try {
      await stopChild();
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  async function stopChild(): Promise<void> {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // wrangler runs workerd as a child: signal the whole process group we created.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startupTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    }
    if (/Ready on http/.test(output)) {
      try {
        await fetch(`${url}${READY_PATH}`, { signal: AbortSignal.timeout(2_000) });
        return { url, output: () => output, stop };
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not start within ${startupTimeoutMs} ms:\n${output}`);
}
