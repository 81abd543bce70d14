import { parentPort, workerData } from 'node:worker_threads';
import type { ImportFormat } from '../../importers/format-names.js';
import { startWorker } from '../../threads/start.js';
import { type CliIo, type Command, UsageError } from '../args.js';

/** What the import thread is given. */
export interface ImportThreadInput {
  importThread: true;
  argv: string[];
  /** Whether the command's stderr is a terminal: the thread's own stderr is not. */
  progress: boolean;
}

/** Messages from the import thread. */
export type ImportThreadMessage =
  | { type: 'out'; text: string }
  | { type: 'err'; text: string }
  | { type: 'progress'; text: string }
  | { type: 'done'; code: number }
  | { type: 'failed'; usage: boolean; name: string; message: string };

/**
 * The young generation of the import thread, in MB. An import allocates fast and keeps little (a
 * 1M-line combined import's live heap is ~20 MB), yet on the main thread V8 grew the young
 * generation to its largest, ~25 MB of the peak; a thread's is capped. Parsing and storing on
 * the one thread: 4 MB (combined, 1M lines: peak 156–160 → 138–141 MB, ~4% more wall time).
 * Storing what a parse thread sends: 8 MB (ALB: 188–191 → 172–175 MB, same time; with 4 MB it was
 * 10–15% slower). Measured with bench/import.bench.ts's files, 6 Dec.
 */
export const YOUNG_GENERATION_MB = { parsing: 4, storing: 8 } as const;

/**
 * Whether the import thread parses the files itself, or stores what a parse thread of its own
 * sends. A parse thread pays where parsing is dear (AWS WAF's JSON, ALB's fields); combined lines
 * parse faster than they are stored, so a second thread only added memory (bench/import.bench.ts).
 *
 * @example
 * parsesOnImportThread(false, 'combined'); // true
 */
export function parsesOnImportThread(singleThread: boolean, format: ImportFormat): boolean {
  return singleThread || format === 'combined';
}

/**
 * Where the import runs, and how it shows progress there: on the import thread (through the
 * command's stderr), or on this thread when `WATCHPOST_IMPORT_THREAD=off` (as before the import
 * thread: ~20 MB more peak memory; for debugging, and for tests, whose coverage only sees their own
 * thread). Null otherwise: `watchpost import` then hands its work to a new import thread.
 */
export function importThreadData(): { progress: boolean; writeProgress: (text: string) => void } | null {
  const data = workerData as Partial<ImportThreadInput> | null;
  if (data?.importThread === true) {
    const writeProgress = (text: string) =>
      parentPort?.postMessage({ type: 'progress', text } satisfies ImportThreadMessage);
    return { progress: data.progress === true, writeProgress };
  }
  if (process.env.WATCHPOST_IMPORT_THREAD !== 'off') return null;
  return { progress: process.stderr.isTTY === true, writeProgress: (text) => void process.stderr.write(text) };
}

/**
 * Runs `watchpost import argv` on a thread of its own (`import-thread.ts`) and relays what it
 * writes to `io`; resolves with its exit code, or rejects as the command would have (a
 * `UsageError` stays one). `progress`: draw the progress line (the command's stderr is a
 * terminal). `parses`: the thread parses as well as stores (no parse thread of its own).
 *
 * @example
 * process.exitCode = await importOnThread(['--site', id, '--format', 'combined', 'access.log'], io, {
 *   progress: false,
 *   parses: true,
 * });
 */
export function importOnThread(
  argv: string[],
  io: CliIo,
  { progress, parses }: { progress: boolean; parses: boolean },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const input: ImportThreadInput = { importThread: true, argv, progress };
    const worker = startWorker(import.meta.url, 'import-thread', input, {
      maxYoungGenerationSizeMb: parses ? YOUNG_GENERATION_MB.parsing : YOUNG_GENERATION_MB.storing,
    });
    let settled = false;
    worker.on('message', (message: ImportThreadMessage) => {
      if (message.type === 'out') io.out(message.text);
      else if (message.type === 'err') io.err(message.text);
      else if (message.type === 'progress') process.stderr.write(message.text);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.code);
      } else {
        settled = true;
        const error = message.usage ? new UsageError(message.message) : new Error(message.message);
        if (!message.usage) error.name = message.name;
        reject(error);
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the import thread stopped before it finished (exit code ${code})`));
    });
  });
}

/**
 * The import thread's work: runs the command (`watchpost import`'s `run`) with `argv` there and
 * reports its output, exit code or failure through `post` (the entry, `import-thread.ts`, posts to
 * the command's thread).
 *
 * @example
 * await runImportThread(importCommand.run, argv, (message) => parentPort!.postMessage(message));
 */
export async function runImportThread(
  run: Command['run'],
  argv: string[],
  post: (message: ImportThreadMessage) => void,
): Promise<void> {
  try {
    const code = await run(argv, {
      out: (text) => post({ type: 'out', text }),
      err: (text) => post({ type: 'err', text }),
    });
    post({ type: 'done', code });
  } catch (error) {
    const usage = error instanceof UsageError;
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    post({ type: 'failed', usage, name, message });
  }
}
