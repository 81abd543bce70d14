import type { Site, Store } from '../db/store.js';
import { MAX_INTEL_SOURCES } from '../db/intel.js';
import { parseIpList } from './iplist.js';
import { splitLines } from './lines.js';
import { openLogStream, type LogSource } from './stream.js';

/** A new list on a site that holds `MAX_INTEL_SOURCES` already. */
export class TooManyListsError extends Error {
  constructor() {
    super(`the site already has ${MAX_INTEL_SOURCES} threat lists; replace one of them (same source name)`);
  }
}

/** What `watchpost import --format iplist` prints. */
export interface IpListSummary {
  source: string;
  entries: number;
  skipped: number;
  skippedLines: number[];
  truncated: boolean;
}

/**
 * Replaces the site's list `source` with the entries of `files` (plain or gzip, lines of 1 KiB at most).
 *
 * @example
 * await importIpList(store, site, 'spamhaus-drop', [() => createReadStream('drop.txt')], Date.now());
 */
export async function importIpList(
  store: Store,
  site: Site,
  source: string,
  inputs: Array<() => LogSource>,
  now: number,
): Promise<IpListSummary> {
  const sources = await store.intelSources(site.id);
  if (!sources.some((s) => s.source === source) && sources.length >= MAX_INTEL_SOURCES) throw new TooManyListsError();
  const lines: string[] = [];
  for (const open of inputs) {
    for await (const chunk of splitLines(await openLogStream(open()), { maxLineBytes: 1024 })) {
      for (const line of chunk) lines.push('text' in line ? line.text : '(a line over 1 KiB)');
    }
  }
  const parsed = parseIpList(lines);
  await store.replaceIntel(site.id, source, parsed.values, now);
  const { skipped, skippedLines, truncated } = parsed;
  return { source, entries: new Set(parsed.values).size, skipped, skippedLines, truncated };
}
