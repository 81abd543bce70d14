import { parseArgs } from 'node:util';
import type { DailyReport } from '@watchpost/report-api';
import { startDemo, type DemoHandle } from './run.js';

/** A bad command line: the demo prints its message on one line and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the demo writes; injectable for tests. */
export interface DemoIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The demo's help text. */
export const usage = `Usage: npm run demo -- [options]     (at the root of a checkout; or pnpm demo [options])

Runs Watchpost end to end on this machine: the report API on SQLite, a demo site (home country JP,
time zone Asia/Tokyo), the example Express and Hono apps behind the middleware, and a simulated day
of traffic played in about a minute (browsers from several countries, search engines, AI crawlers,
a vulnerability scanner, a credential-stuffing burst, a 5xx incident, a slow scraper, a fake
Googlebot), plus a smaller day before it. Then it prints the dashboard URL and the admin key, and serves until Ctrl-C.

Options:
  --db PATH              keep the data in this SQLite file (default: a temporary one, deleted at exit; not PostgreSQL)
  --fresh                replace --db PATH if it exists
  --port N               port of the report API on 127.0.0.1 (default 8787; 0 = any free port)
  --size N               about how many requests the main day has (default 12000)
  --seed N               another seed plays another day (default 2026)
  --concurrency N        requests in flight (default 8)
  --duration SECONDS     stop by itself this long after the traffic (default: run until Ctrl-C)
  --exit-after-traffic   stop as soon as the traffic is played and stored
  -h, --help             this help`;

const optionSpec = {
  db: { type: 'string' },
  fresh: { type: 'boolean' },
  port: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  'exit-after-traffic': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type DemoArgs = ReturnType<typeof parseArgs<{ options: typeof optionSpec; strict: true }>>['values'];

/** `node:util` parseArgs with its errors as one plain `UsageError` line (no Node error-code prefix). */
function parseDemoArgs(argv: string[]): DemoArgs {
  try {
    return parseArgs({ args: argv, options: optionSpec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(String((error as Error).message).split('\n')[0]);
  }
}

// eslint-disable-next-line no-control-regex -- a control byte in --db is a paste accident, never a file name
const CONTROL = /[\u0000-\u001f\u007f]/;
const ANY_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** The demo owns its database (--fresh replaces it): a SQLite file path only, never a URL or a shared server. */
function checkDbPath(db: string): void {
  if (db === '') throw new UsageError('--db: empty; pass a SQLite file path');
  if (CONTROL.test(db)) throw new UsageError('--db: contains a control character');
  const scheme = ANY_URL.exec(db)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql')
    throw new UsageError(
      '--db: the demo keeps its data in a SQLite file, not PostgreSQL; to run on PostgreSQL use watchpost ' +
        'serve --db postgres://...',
    );
  if (scheme !== undefined) throw new UsageError(`--db: pass a SQLite file path, not a ${scheme}:// URL`);
}

function intOption(args: DemoArgs, name: keyof DemoArgs, min: number, max: number): number | undefined {
  const text = args[name];
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (share: number | null): string => (share === null ? 'n/a' : `${(share * 100).toFixed(2)}%`);

/** What the report of the main day found, in a few lines. */
function findings(report: DailyReport): string[] {
  const { totals, domestic, foreign, bursts, recommendations, suspicious5xx } = report;
  const lines = [
    `  Found       ${count(totals.requests)} requests, ${count(totals.blocked)} blocked, success ` +
      `rate ${percent(totals.successRate)}; ` +
      `domestic ${count(domestic.requests)} (block rate ${percent(domestic.blockRate)}), ` +
      `foreign ${count(foreign.requests)} (${percent(foreign.blockRate)})`,
    `              ${bursts.length} error burst(s), ${suspicious5xx.length} client(s) answered 5xx instead of 403, ` +
      `${recommendations.length} IP(s) recommended for the deny list`,
  ];
  for (const r of recommendations.slice(0, 3))
    lines.push(`              ${r.ip} (${r.country ?? '??'}): ${r.reasons[0] ?? ''}`);
  return lines;
}

function readyText(demo: DemoHandle): string {
  return [
    '',
    'Watchpost demo is ready.',
    ...findings(demo.report),
    `  Dashboard   ${demo.dashboardUrl}`,
    `  Triage      ${demo.triageUrl} (deny with an expiry, allow, dismiss; all in the audit log)`,
    `  Admin key   ${demo.adminKey}`,
    '              paste it on that page to sign in; it is shown only here and never put in a URL',
    `  Report      ${demo.date} (and ${demo.previousDate} for comparison), site ${demo.site.id}`,
    `              curl -H "Authorization: Bearer ${demo.adminKey}" ` +
      `"${demo.reportApiUrl}/v1/reports/daily?date=${demo.date}"`,
    `  Apps        Express ${demo.apps.express}   Hono ${demo.apps.hono}`,
    `              try: curl -i -A sqlmap/1.8 ${demo.apps.express}/.env`,
    '  Deny list   add an IP on the dashboard (or POST /v1/denylist); both apps refuse it in about a second.',
    `              They trust 127.0.0.1 as a proxy, so: curl -i -H "X-Forwarded-For: <IP>" ${demo.apps.hono}/`,
    `  Database    ${demo.dbPath}`,
    '',
  ].join('\n');
}

/**
 * Ctrl-C and SIGTERM as an AbortSignal, from the start: a stop during the traffic ends it cleanly
 * too. `timeout` stops after that many seconds; `dispose` removes the handlers.
 */
function stopSignal(io: DemoIo) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The handlers stay until everything is closed: Ctrl-C reaches this process both from the
  // terminal and relayed by pnpm/tsx, and a second signal must not kill the clean shutdown.
  let told = false;
  const on = (why: string) => (): void => {
    if (!controller.signal.aborted) return controller.abort(new Error(why));
    if (!told) io.out('still stopping (flushing events and closing the database)...');
    told = true;
  };
  const onInt = on('Ctrl-C');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    stopped: new Promise<string>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve((controller.signal.reason as Error).message), {
        once: true,
      });
    }),
    timeout(seconds: number) {
      timer = setTimeout(() => controller.abort(new Error(`--duration ${seconds}`)), seconds * 1000);
    },
    dispose() {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Runs the demo with these command-line arguments (see `usage`) and returns the exit code: 0 done,
 * 1 failure, 2 bad arguments, 130 stopped during the traffic.
 *
 * @example
 * const io = { out: console.log, err: console.error };
 * process.exitCode = await runDemoCli(['--port', '0', '--exit-after-traffic'], io);
 */
export async function runDemoCli(argv: string[], io: DemoIo): Promise<number> {
  try {
    return await runDemo(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`demo: ${error.message} (see --help)`);
      return 2;
    }
    io.err(`demo: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}

async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help === true) {
    io.out(usage);
    return 0;
  }
  const fresh = args.fresh === true;
  const dbPath = args.db;
  if (fresh && dbPath === undefined)
    throw new UsageError('--fresh needs --db PATH (without --db the demo always starts empty)');
  if (dbPath !== undefined) checkDbPath(dbPath);
  const options = {
    dbPath,
    fresh,
    port: intOption(args, 'port', 0, 65_535),
    size: intOption(args, 'size', 100, 1_000_000),
    seed: intOption(args, 'seed', 0, 2 ** 31),
    concurrency: intOption(args, 'concurrency', 1, 256),
  };
  const duration = intOption(args, 'duration', 0, 7 * 24 * 3600);
  const started = Date.now();
  const stop = stopSignal(io);
  let demo: DemoHandle | undefined;
  try {
    demo = await startDemo({ ...options, signal: stop.signal, log: (line) => io.out(line) });
    io.out(`traffic played and stored in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (args['exit-after-traffic'] === true) return 0;
    io.out(readyText(demo));
    io.out(
      duration === undefined ? 'Press Ctrl-C to stop.' : `Stopping by itself in ${duration} s (Ctrl-C stops now).`,
    );
    if (duration !== undefined) stop.timeout(duration);
    const why = await stop.stopped;
    io.out(`${why}: stopping the apps (flushing their events), the report API and the database...`);
    return 0;
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    io.out(`${(stop.signal.reason as Error).message}: stopped during the traffic; everything is closed.`);
    return 130;
  } finally {
    if (demo) {
      await demo.close();
      io.out('stopped.');
    }
    stop.dispose();
  }
}
