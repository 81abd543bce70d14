import { createReadStream, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import Database from 'better-sqlite3';
import { IMPORT_FORMATS, isImportFormat } from '../../importers/formats.js';
import { importGuardDuty } from '../../importers/guardduty-import.js';
import { importIpList, TooManyListsError } from '../../importers/iplist-import.js';
import { SOURCE_NAME } from '../../importers/iplist.js';
import { storeIngest } from '../../importers/ingest.js';
import { createProgressLine } from '../../importers/progress.js';
import { parseLoginPaths } from '../../importers/login-paths.js';
import { loadGeoLookup } from '@watchpost/middleware/node';
import { createParseContext } from '../../importers/context.js';
import { importFiles, type ImportSummary } from '../../importers/stream.js';
import { importFilesOnThread } from '../../importers/thread.js';
import {
  type CliIo,
  type Command,
  dbOption,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
  UsageError,
} from '../args.js';
import { openStoreFromArgs, withSite } from '../open-store.js';

const formats = [...Object.keys(IMPORT_FORMATS), 'guardduty', 'iplist'].join('|');

const usage = `Usage: watchpost import --site ID --format ${formats} [--login-path P]... [--sample-rate R]
                        [--single-thread] [--source NAME] [--db PATH|URL] FILE...

Imports existing logs into a site as ordinary events, so its daily reports, dashboard and
recommendations cover them. Files may be plain or gzip (detected by content). Importing the
same file again adds nothing. Prints a JSON summary: files, linesRead, imported, skipped,
skippedByReason, duplicates, seconds. A progress line is shown on a terminal. Lines with a
time before 2000 or more than a day ahead, a client that is not an IP, or over 256 KiB are
skipped and counted; a broken file stops the import with a message naming it (exit 1).
  --site ID        site id from \`watchpost sites list\`
  --format FORMAT  aws-waf   AWS WAF logs (one JSON record per line)
                   alb       Application Load Balancer access logs
                   combined  Apache/nginx combined or common log format
                   guardduty GuardDuty findings: JSON lines (S3 export, EventBridge events) or a
                             {"findings": [...]} document (aws guardduty get-findings), plain or gzip
                   iplist    a threat list: one IP or CIDR per line, # comments; needs --source NAME and
                             replaces that list (reports mark its clients; the intel-list policy denies them)
  --login-path P   mark requests to P (POST:/login or /login, repeatable) as login attempts:
                   failed on 401/403 or when refused by WAF, success on any other status
                   below 500; none on 5xx, a closed connection or an AWS WAF ALLOW
  --sample-rate R  store the raw event of only this share (0 < R <= 1, default 1) of the
                   allowed requests answered below 400, as the middleware samples; every
                   block, 4xx, 5xx, login attempt and impersonator is kept (AWS WAF ALLOW
                   records, which have no status, are sampled too). Report counts stay exact: rollups
                   count every line. Drill-downs scale the kept events back up.
  --single-thread  parse on the thread that stores: AWS WAF and ALB logs are otherwise parsed
                   on a thread of their own (1.15-1.45x faster on two cores, ~30 MB more peak
                   memory); combined logs, whose parsing is cheap, always use one thread
  --db PATH|URL    SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/**
 * `watchpost import`.
 *
 * @example
 * await importCommand.run(['--site', 'site_…', '--format', 'alb', 'alb-2026-03-09.log.gz'], io);
 */
export const importCommand: Command = {
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      argv,
      {
        ...dbOption,
        site: { type: 'string' },
        format: { type: 'string' },
        'login-path': { type: 'string', multiple: true },
        'sample-rate': { type: 'string' },
        'single-thread': { type: 'boolean' },
        source: { type: 'string' },
      },
      { positionals: Number.POSITIVE_INFINITY },
    );
    if (!args) return (io.out(usage), 0);
    stringOption(args, 'site', true); // a missing --site is reported first
    const format = stringOption(args, 'format', true);
    if (format === 'guardduty') return runGuardDuty(args, io);
    if (format === 'iplist') return runIpList(args, io);
    if (!isImportFormat(format))
      throw new UsageError(`--format: ${JSON.stringify(format)} is not one of ${formats.replaceAll('|', ', ')}`);
    let loginPaths;
    try {
      loginPaths = parseLoginPaths([args.values['login-path'] ?? []].flat());
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const rateText = args.values['sample-rate'];
    const sampleRate = rateText === undefined ? 1 : Number(rateText);
    if (typeof rateText === 'string' && (rateText.trim() === '' || !(sampleRate > 0 && sampleRate <= 1)))
      throw new UsageError(`--sample-rate: ${JSON.stringify(rateText)} is not a number above 0 and at most 1`);
    const files = args.positionals;
    if (files.length === 0) throw new UsageError('give at least one log FILE to import');
    let totalBytes = 0;
    for (const file of files) {
      let isFile: boolean;
      try {
        const stat = statSync(file);
        isFile = stat.isFile();
        totalBytes += stat.size;
      } catch {
        throw new UsageError(`${file}: no such file`);
      }
      if (!isFile) throw new UsageError(`${file}: not a file`);
    }
    const siteId = stringOption(args, 'site', true);
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
      const progress = process.stderr.isTTY
        ? createProgressLine({ write: (text) => process.stderr.write(text), totalBytes })
        : null;
      let summary: ImportSummary;
      try {
        const options = {
          siteId: site.id,
          format,
          ingest: storeIngest(store, { sampleRate, statusUnknown: format === 'aws-waf' }),
          loginPaths,
          onProgress: progress?.update,
        };
        // A parse thread pays where parsing is dear (AWS WAF's JSON, ALB's fields); combined lines parse
        // faster than they are stored, so a thread only added memory (bench/import.bench.ts, 6 Dec).
        if (args.values['single-thread'] === true || format === 'combined') {
          const geo = loadGeoLookup({ warn: (message) => io.err(message) });
          const context = createParseContext({ lookupCountry: (ip) => geo(ip) });
          summary = await importFiles(files, { ...options, context });
        } else {
          // Parsing (and the GeoIP table) on a thread of its own, storing on this one.
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
  },
};

/** Readers of the FILE arguments, each checked to be a file first (a usage error names the first that is not). */
function fileSources(files: string[], what: string): Array<() => ReturnType<typeof createReadStream>> {
  if (files.length === 0) throw new UsageError(`give at least one ${what} FILE to import`);
  for (const file of files) {
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw new UsageError(`${file}: no such file`);
    }
    if (!isFile) throw new UsageError(`${file}: not a file`);
  }
  return files.map((file) => () => createReadStream(file));
}

/** `--format guardduty`: findings, not events; the other import options do not apply. */
async function runGuardDuty(args: ParsedArgs, io: CliIo): Promise<number> {
  const sources = fileSources(args.positionals, 'GuardDuty export');
  return withSite(args, async (store, site) => {
    io.out(JSON.stringify(await importGuardDuty(store, site, sources, Date.now())));
    return 0;
  });
}

/** `--format iplist --source NAME`: replaces that threat list of the site. */
async function runIpList(args: ParsedArgs, io: CliIo): Promise<number> {
  const source = stringOption(args, 'source', true);
  if (!SOURCE_NAME.test(source))
    throw new UsageError(`--source: letters, digits, ".", "_" and "-" (64 at most), got ${JSON.stringify(source)}`);
  const sources = fileSources(args.positionals, 'list');
  return withSite(args, async (store, site) => {
    try {
      io.out(JSON.stringify(await importIpList(store, site, source, sources, Date.now())));
    } catch (error) {
      if (error instanceof TooManyListsError) throw new UsageError(`--source: ${error.message}`);
      throw error;
    }
    return 0;
  });
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
