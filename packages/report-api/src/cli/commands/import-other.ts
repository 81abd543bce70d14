import { createReadStream, statSync } from 'node:fs';
import { importGuardDuty } from '../../importers/guardduty-import.js';
import { importIpList, TooManyListsError } from '../../importers/iplist-import.js';
import { SOURCE_NAME } from '../../importers/iplist.js';
import { type CliIo, type ParsedArgs, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

// `watchpost import` for what is not a log: GuardDuty findings and threat lists.

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
export async function runGuardDuty(args: ParsedArgs, io: CliIo): Promise<number> {
  const sources = fileSources(args.positionals, 'GuardDuty export');
  return withSite(args, async (store, site) => {
    io.out(JSON.stringify(await importGuardDuty(store, site, sources, Date.now())));
    return 0;
  });
}

/** `--format iplist --source NAME`: replaces that threat list of the site. */
export async function runIpList(args: ParsedArgs, io: CliIo): Promise<number> {
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
