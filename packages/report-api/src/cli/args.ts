import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A bad command line: `main.ts` prints its message on one line to stderr and exits with code 2.
 *
 * @example
 * throw new UsageError('--port: expected an integer from 0 to 65535');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with `--help` built in and errors turned into `UsageError`.
 * Returns null when `--help` was given (the caller prints its help and exits 0).
 *
 * @example
 * const args = parseCommandArgs(argv, { db: { type: 'string' } }, { positionals: 1 });
 */
export function parseCommandArgs(
  argv: string[],
  options: Options,
  { positionals = 0 }: { positionals?: number } = {},
): ParsedArgs | null {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals > 0,
      strict: true,
    });
  } catch (error) {
    // parseArgs messages are clear but carry a Node error-code prefix; keep one plain line.
    throw new UsageError(String((error as Error).message).split('\n')[0]);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[positionals]}`);
  }
  return parsed;
}

/** Parsed command line: option values by name, then positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/**
 * Reads a string option; throws `UsageError` when it is required and missing.
 *
 * @example
 * const db = stringOption(args, 'db', true);
 */
export function stringOption(args: ParsedArgs, name: string, required: true): string;
export function stringOption(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringOption(args: ParsedArgs, name: string, required = false): string | undefined {
  const value = args.values[name];
  if (typeof value === 'string') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

/**
 * Reads an optional whole-number option within `[min, max]`; throws `UsageError` otherwise.
 *
 * @example
 * const port = intOption(args, 'port', 0, 65535) ?? 8787;
 */
export function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * Reads an optional `--public-url`: an absolute http(s) URL; throws `UsageError` otherwise.
 *
 * @example
 * const publicUrl = publicUrlOption(args); // 'https://watchpost.example' or undefined
 */
export function publicUrlOption(args: ParsedArgs): string | undefined {
  const text = stringOption(args, 'public-url');
  if (text === undefined) return undefined;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol))
    throw new UsageError(`--public-url: expected http(s)://host, got ${JSON.stringify(text)}`);
  return text;
}

/** Options every command that touches the database accepts. */
export const dbOption = { db: { type: 'string', default: './watchpost.db' } } as const;

/** Output streams, injectable for tests. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A `watchpost` subcommand: returns the process exit code. */
export interface Command {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The actions of a command such as `watchpost sites create|list`: each gets the arguments after its name. */
export type Actions = Record<string, (rest: string[]) => Promise<number>>;

/**
 * Runs the action named by `argv[0]`: without one the usage goes out and the exit code is 2,
 * `--help` prints it (0), and an unknown name is a usage error listing the actions.
 *
 * @example
 * return runAction(argv, io, usage, { create: async (rest) => 0, list: async (rest) => 0 });
 */
export async function runAction(argv: string[], io: CliIo, usage: string, actions: Actions): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    io.out(usage);
    return action === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (!run) {
    const names = Object.keys(actions);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
    throw new UsageError(`unknown action ${JSON.stringify(action)}; use ${list}`);
  }
  return run(rest);
}
