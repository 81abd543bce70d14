#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { forTerminal } from '../escape/terminal.js';
import { type CliIo, type Command, UsageError } from './args.js';
import { packageVersion } from './version.js';

/** A subcommand: its one-line summary, and its module, loaded only when it runs. */
interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

/**
 * The `watchpost` subcommands. Each module is imported only when its command runs: `import` then
 * holds neither the HTTP server, the dashboard nor the PostgreSQL driver in memory (about 20 MB of
 * the import's peak). To add one: create `commands/NAME.ts` exporting a `Command`, and add it here.
 */
export const commands: Record<string, CommandEntry> = {
  serve: {
    summary: 'serve the HTTP API (ingest, deny list, reports)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  sites: {
    summary: 'create (prints its keys once), list, rename or delete sites',
    load: async () => (await import('./commands/sites.js')).sitesCommand,
  },
  keys: {
    summary: 'create, list, rotate or revoke the API keys of a site',
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
  audit: {
    summary: "show a site's audit log: who changed what, when and why",
    load: async () => (await import('./commands/audit.js')).auditCommand,
  },
  cases: {
    summary: 'list, refresh and decide triage cases; set auto-deny policies',
    load: async () => (await import('./commands/cases.js')).casesCommand,
  },
  report: {
    summary: 'print the daily report of a site (json, md or html)',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  import: {
    summary: 'import AWS WAF, ALB or access logs into a site (JSON summary)',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  webhooks: {
    summary: 'add, list or remove the chat webhooks of a site',
    load: async () => (await import('./commands/webhooks.js')).webhooksCommand,
  },
  alerts: {
    summary: 'send a test alert, set the daily report schedule, show the delivery log',
    load: async () => (await import('./commands/alerts.js')).alertsCommand,
  },
  demo: {
    summary: 'how to run the demo (npm run demo in a checkout of the repository)',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return [
    'Usage: watchpost <command> [options]',
    '       watchpost --version',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `watchpost <command> --help` for its options.',
  ].join('\n');
}

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 bad arguments. Never throws.
 *
 * @example
 * process.exitCode = await runCli(['sites', 'list', '--db', 'watchpost.db']);
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(packageVersion());
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`watchpost: unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`watchpost ${name}: ${error.message} (see watchpost ${name} --help)`);
      return 2;
    }
    io.err(`watchpost ${name}: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}

/**
 * Standard output and error. Reports and messages quote traffic, so what a terminal would act on
 * (ESC, C1 controls, bidi overrides) is written as `\uNNNN` (JSON output stays valid and equal).
 *
 * @example
 * defaultIo.out(JSON.stringify(report, null, 2));
 */
export const defaultIo: CliIo = {
  out: (text) => process.stdout.write(forTerminal(text) + '\n'),
  err: (text) => process.stderr.write(forTerminal(text) + '\n'),
};

// `tsx src/cli/main.ts` (this repository's scripts and tests) runs the CLI too; installed packages
// run dist/cli/bin.js, which always runs whatever path or shim started it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
