#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { forTerminal } from '../escape/terminal.js';
import { type CliIo, type Command, UsageError } from './args.js';
import { alertsCommand } from './commands/alerts.js';
import { auditCommand } from './commands/audit.js';
import { casesCommand } from './commands/cases.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { keysCommand } from './commands/keys.js';
import { reportCommand } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { sitesCommand } from './commands/sites.js';
import { webhooksCommand } from './commands/webhooks.js';
import { packageVersion } from './version.js';

/**
 * The `watchpost` subcommands. To add one: create `commands/NAME.ts` exporting a `Command`, and add
 * one line here.
 */
export const commands: Record<string, Command> = {
  serve: serveCommand,
  sites: sitesCommand,
  keys: keysCommand,
  audit: auditCommand,
  cases: casesCommand,
  report: reportCommand,
  import: importCommand,
  webhooks: webhooksCommand,
  alerts: alertsCommand,
  demo: demoCommand,
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
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`watchpost: unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
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
