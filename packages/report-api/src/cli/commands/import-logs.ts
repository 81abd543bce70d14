import { setFlagsFromString } from 'node:v8';
import Database from 'better-sqlite3';
import { loadGeoLookup } from '@watchpost/middleware/node';
import { createParseContext } from '../../importers/context.js';
import type { ImportFormat } from '../../importers/format-names.js';
import { storeIngest } from '../../importers/ingest.js';
import type { LoginPath } from '../../importers/login-paths.js';
import { createProgressLine } from '../../importers/progress.js';
import { importFiles, type ImportSummary } from '../../importers/stream.js';
import { importFilesOnThread } from '../../importers/thread.js';
import { type CliIo, type ParsedArgs, stringOption, UsageError } from '../args.js';
import { openStoreFromArgs } from '../open-store.js';
import { parsesOnImportThread } from './import-thread-start.js';

/** A log import as `watchpost import` checked it. */
export interface LogImport {
  args: ParsedArgs;
  format: ImportFormat;
  files: string[];
  /** The files' sizes together, for the progress line's share done and time left. */
  totalBytes: number;
  loginPaths: LoginPath[];
  sampleRate: number;
  siteId: string;
}

/**
 * The work of `watchpost import` for log files, on the import thread: opens the store, parses and
 * stores the files, and prints the JSON summary. `progress` draws the progress line (a terminal).
 *
 * @example
 * const code = await importLogs(job, io, { progress: false, writeProgress: () => {} });
 */
export async function importLogs(
  { args, format, files, totalBytes, loginPaths, sampleRate, siteId }: LogImport,
  io: CliIo,
  onThread: { progress: boolean; writeProgress: (text: string) => void },
): Promise<number> {
  lowerHeapGrowth();
  // No writer thread: on 2 shared cores it cost more CPU (batches cross as JSON) and ~100 MB more
  // memory than it saved (bench/import.bench.ts); batches in flight share group commits instead.
  // Rollups wait in memory for at most 200,000 events (the server's default is 1,000,000 or 10 s): an
  // import reaches that in seconds, and the day's distinct IPs, paths and user agents held until then
  // were ~35 MB of a 1M-line combined import's 199 MB peak, at no measurable speed difference.
  const store = await openStoreFromArgs(stringOption(args, 'db', true), {
    mustExist: true,
    rollups: { flushEvents: 200_000 },
  });
  // An import appends in time order: 8 MB of page cache holds the index pages being written, and the
  // default 64 MB (for serving reads) would only raise the peak memory once the database outgrows it.
  if ('db' in store && store.db instanceof Database) store.db.pragma('cache_size = -8192');
  try {
    const site = await store.getSite(siteId);
    if (!site)
      throw new UsageError(`--site: no site ${JSON.stringify(siteId)} in this database (see watchpost sites list)`);
    const progress = onThread.progress ? createProgressLine({ write: onThread.writeProgress, totalBytes }) : null;
    let summary: ImportSummary;
    try {
      const options = {
        siteId: site.id,
        format,
        ingest: storeIngest(store, { sampleRate, statusUnknown: format === 'aws-waf' }),
        loginPaths,
        onProgress: progress?.update,
      };
      if (parsesOnImportThread(args.values['single-thread'] === true, format)) {
        const geo = loadGeoLookup({ warn: (message) => io.err(message) });
        const context = createParseContext({ lookupCountry: (ip) => geo(ip) });
        summary = await importFiles(files, { ...options, context });
      } else {
        // Parsing (and the GeoIP table) on a thread of its own, storing on this (the import) thread.
        summary = await importFilesOnThread({ ...options, paths: files, warn: (message) => io.err(message) });
      }
    } finally {
      progress?.done();
    }
    io.out(JSON.stringify(summary));
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * An import allocates fast and V8 collects it quickly, so V8 lets the heap grow to about 4× what
 * survived the last full collection before the next one: the live heap of a 1M-line ALB or combined
 * import stays at 20–35 MB, yet its peak RSS reached 276 MB. Growing by 30% collects more often (a
 * full collection takes ~2 ms here) and brought that peak to ~200 MB at the same speed
 * (bench/import.bench.ts). The flag only tunes that heuristic, for this process; should a Node
 * version ignore it after start-up, imports use the default growth.
 */
function lowerHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=30');
}
