import { statSync } from 'node:fs';
import { IMPORT_FORMAT_NAMES, isImportFormat } from '../../importers/format-names.js';
import { parseLoginPaths } from '../../importers/login-paths.js';
import { type Command, dbOption, parseCommandArgs, stringOption, UsageError } from '../args.js';
import type { LogImport } from './import-logs.js';
import { importOnThread, importThreadData, parsesOnImportThread } from './import-thread-start.js';

// This module stays light: the command's thread only checks the arguments and waits for the import
// thread, which loads the importers and the store (`import-logs.ts`).
const formats = [...IMPORT_FORMAT_NAMES, 'guardduty', 'iplist'].join('|');

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
    if (format === 'guardduty') return (await import('./import-other.js')).runGuardDuty(args, io);
    if (format === 'iplist') return (await import('./import-other.js')).runIpList(args, io);
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
    // Checked above on this thread, so a usage error is told at once; the work then goes to the import thread.
    const onThread = importThreadData();
    if (onThread === null) {
      const parses = parsesOnImportThread(args.values['single-thread'] === true, format);
      return importOnThread(argv, io, { progress: process.stderr.isTTY === true, parses });
    }
    const job: LogImport = { args, format, files, totalBytes, loginPaths, sampleRate, siteId };
    return (await import('./import-logs.js')).importLogs(job, io, onThread);
  },
};
