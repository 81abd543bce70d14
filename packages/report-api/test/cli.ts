import { runCli } from '../src/cli/main.js';

/**
 * Runs the `watchpost` CLI in this process and captures what it prints (a separate file from
 * `helpers.ts`, so tests that do not need the CLI do not load every command).
 *
 * @example
 * const { code, out } = await cli('sites', 'list', '--db', path);
 */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
