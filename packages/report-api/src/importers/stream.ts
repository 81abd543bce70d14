import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import { defaultParseContext, type ParseContext, type ParseResult, type SkipReason } from './context.js';
import { IMPORT_FORMATS, type ImportFormat } from './formats.js';
import { ImportFileError } from './errors.js';
import { DEFAULT_MAX_LINE_BYTES, ImportLimitError, splitLines } from './lines.js';
import { importedLogin, type LoginPath } from './login-paths.js';

export { ImportLimitError };

/** What the store answered for one batch: `duplicate` when that batchId was already stored. */
export interface IngestOutcome {
  duplicate: boolean;
  /** Events the store refused (counted as skipped, reason `invalid-event`); the rest were stored. */
  rejected?: number;
}

/** Stores one batch of events for a site: the same path as `POST /v1/events`. */
export type IngestFn = (siteId: string, batch: EventBatch) => Promise<IngestOutcome> | IngestOutcome;

/** The JSON summary printed by `watchpost import` and returned by `POST /v1/import`. */
export interface ImportSummary {
  files: number;
  linesRead: number;
  /** Events stored by this import. */
  imported: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** Events of batches that were already stored (the same lines imported before). */
  duplicates: number;
  seconds: number;
}

export interface ImportOptions {
  siteId: string;
  format: ImportFormat;
  ingest: IngestFn;
  /** Lookups for bots, IPs and countries; defaults to {@link defaultParseContext}. */
  context?: ParseContext;
  /** Raw lines per batch (and per batchId); 1,000 by default, at most 5,000. */
  batchLines?: number;
  /** Stop with {@link ImportLimitError} past this much log text (after gunzip); a zip-bomb guard for HTTP. */
  maxTextBytes?: number;
  /** Lines longer than this many bytes are skipped (`line-too-long`) without being buffered. Default 256 KiB. */
  maxLineBytes?: number;
  /**
   * Called after every batch with the bytes of input read so far (as given: compressed for a gzip file; over all
   * files for `importFiles`); the CLI draws its progress line with it.
   */
  onProgress?: (summary: ImportSummary, bytesRead: number) => void;
  /**
   * Batches handed to `ingest` and not answered yet before reading waits: parsing the next batches while the
   * store writes the last ones. Memory stays bounded by this many batches. Default 4; 1 awaits each batch.
   */
  maxInFlight?: number;
  /** Requests to these marked as login attempts (`parseLoginPaths`); none by default. */
  loginPaths?: readonly LoginPath[];
  now?: () => number;
}

/** Raw log bytes: a Node stream, a web stream, an async generator or simply an array of chunks. */
export type LogSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(chunk)
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Turns raw bytes into plain log text, gunzipping when the data starts with the gzip magic bytes
 * (whatever the file is called). Multi-member gzip (`cat a.gz b.gz`) is read whole.
 *
 * @example
 * const text = await openLogStream(createReadStream('access.log.gz'));
 */
export async function openLogStream(source: LogSource, onBytes?: (bytes: number) => void): Promise<Readable> {
  const iterator =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  // Chunks of an HTTP body can be a single byte; gather two before deciding.
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value);
    onBytes?.(chunk.length);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (first.length > 0) yield first;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const chunk = toBuffer(next.value);
        onBytes?.(chunk.length);
        yield chunk;
      }
    } finally {
      // Stopped early (an error, a limit): let the source close its file or request.
      if (!done) await iterator.return?.();
    }
  }
  const raw = Readable.from(replay(), { objectMode: false });
  const gzipped = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  // pipeline, not pipe: an error of the source must reach the reader, or it would wait forever.
  return gzipped ? pipeline(raw, createGunzip(), () => undefined) : raw;
}

/**
 * A fresh summary to accumulate several inputs into.
 *
 * @example
 * const summary = emptySummary();
 */
export function emptySummary(): ImportSummary {
  return { files: 0, linesRead: 0, imported: 0, skipped: 0, skippedByReason: {}, duplicates: 0, seconds: 0 };
}

/**
 * Imports one log (a file's bytes, an HTTP body, plain or gzip) into a site, adding to `summary`.
 * Lines are read one by one and stored in batches of `batchLines` raw lines; reading waits while
 * `maxInFlight` batches are with the store (so parsing and writing overlap, and memory stays flat in
 * the size of the log). A batch's id is a SHA-256 of the
 * site, the format, the batch's ordinal and its raw lines, so importing the same log again stores nothing new
 * (its events are counted as `duplicates`).
 *
 * @example
 * const summary = emptySummary();
 * await importStream(createReadStream('alb.log.gz'), { siteId, format: 'alb', ingest }, summary);
 */
export async function importStream(
  source: LogSource,
  {
    siteId,
    format,
    ingest,
    context = defaultParseContext,
    batchLines = 1000,
    maxTextBytes = Number.POSITIVE_INFINITY,
    maxLineBytes = DEFAULT_MAX_LINE_BYTES,
    onProgress,
    loginPaths = [],
    maxInFlight = 4,
    now = Date.now,
  }: ImportOptions,
  summary: ImportSummary = emptySummary(),
): Promise<ImportSummary> {
  if (!Number.isInteger(batchLines) || batchLines < 1 || batchLines > 5000) {
    throw new TypeError(`batchLines must be an integer from 1 to 5000, got ${batchLines}`);
  }
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 64) {
    throw new TypeError(`maxInFlight must be an integer from 1 to 64, got ${maxInFlight}`);
  }
  const parse = IMPORT_FORMATS[format];
  const started = now();
  const baseSeconds = summary.seconds;
  let bytesRead = 0;
  const text = await openLogStream(source, (bytes) => (bytesRead += bytes));
  const chunks = splitLines(text, { maxLineBytes, maxTextBytes });
  let events: WatchpostEvent[] = [];
  // The current batch's id: a SHA-256 fed line by line, each line followed by `\n` (no joined copy of the lines).
  let hash: Hash | null = null;
  let rawLines = 0;
  let ordinal = 0;
  // Batches handed to the store and not answered yet, oldest first.
  const inFlight: Array<Promise<void>> = [];

  function account(outcome: IngestOutcome, count: number): void {
    const rejected = outcome.rejected ?? 0;
    if (rejected > 0) {
      summary.skipped += rejected;
      summary.skippedByReason['invalid-event'] = (summary.skippedByReason['invalid-event'] ?? 0) + rejected;
    }
    if (outcome.duplicate) summary.duplicates += count - rejected;
    else summary.imported += count - rejected;
  }

  function hashLine(text: string): void {
    // The ordinal keeps two batches of identical lines in one log apart.
    hash ??= createHash('sha256').update(`${siteId}\n${format}\n${ordinal}\n`);
    hash.update(text).update('\n');
    rawLines++;
  }

  async function flush(): Promise<void> {
    const batchId = `imp_${hash!.digest('base64url')}`;
    hash = null;
    rawLines = 0;
    ordinal++;
    const batch: EventBatch = { batchId, source: 'import', events };
    const count = events.length;
    events = [];
    if (count > 0) {
      const stored = (async () => account(await ingest(siteId, batch), count))();
      // Awaited below (in order) or, after an error, settled in `finally`: never an unhandled rejection.
      stored.catch(() => undefined);
      inFlight.push(stored);
      if (inFlight.length >= maxInFlight) await inFlight.shift();
    }
    summary.seconds = baseSeconds + (now() - started) / 1000;
    onProgress?.(summary, bytesRead);
  }

  function skip(reason: SkipReason): void {
    summary.skipped++;
    summary.skippedByReason[reason] = (summary.skippedByReason[reason] ?? 0) + 1;
  }

  try {
    for await (const lines of chunks) {
      for (const line of lines) {
        summary.linesRead++;
        if ('tooLong' in line) {
          // Hashed by its size: importing the same log again still gives the same batch ids.
          hashLine(`\u0000line-too-long ${line.tooLong}`);
          skip('line-too-long');
        } else {
          hashLine(line.text);
          let result: ParseResult;
          try {
            result = parse(line.text, context);
          } catch {
            // Parsers do not throw; if one ever does, that line is skipped, not the whole import.
            result = { skip: 'parse-error' };
          }
          if ('event' in result) {
            const e = result.event;
            const login =
              loginPaths.length > 0 ? importedLogin(loginPaths, e.method, e.path, e.status, e.action) : undefined;
            events.push(login ? { ...e, login } : e);
          } else skip(result.skip);
        }
        if (rawLines >= batchLines) await flush();
      }
    }
    if (rawLines > 0) await flush();
    while (inFlight.length > 0) await inFlight.shift();
  } finally {
    // After a failure: let the batches still in flight settle before the error goes up.
    await Promise.allSettled(inFlight);
    await chunks.return(undefined);
    text.destroy();
  }
  onProgress?.(summary, bytesRead);
  summary.files++;
  summary.seconds = baseSeconds + (now() - started) / 1000;
  return summary;
}

/**
 * Imports log files one after the other into one summary. A missing file rejects before anything
 * is read from it (files before it stay imported).
 *
 * @example
 * const summary = await importFiles(['waf-1.log.gz', 'waf-2.log.gz'], { siteId, format: 'aws-waf', ingest });
 * console.log(JSON.stringify(summary));
 */
export async function importFiles(paths: readonly string[], options: ImportOptions): Promise<ImportSummary> {
  const summary = emptySummary();
  const { onProgress } = options;
  // Bytes of the files already imported and of the current one, so progress counts over all of them.
  const position = { before: 0, current: 0 };
  const fileOptions: ImportOptions = onProgress
    ? { ...options, onProgress: (s, bytes) => onProgress(s, position.before + (position.current = bytes)) }
    : options;
  for (const path of paths) {
    position.current = 0;
    try {
      await importStream(createReadStream(path), fileOptions, summary);
      position.before += position.current;
    } catch (error) {
      throw new ImportFileError(path, error, summary);
    }
  }
  summary.seconds = Math.round(summary.seconds * 1000) / 1000;
  return summary;
}
