import type { Finding } from '../db/findings.js';
import type { Site, Store } from '../db/store.js';
import { readFindings } from './guardduty-read.js';
import type { LogSource } from './stream.js';

/** What `watchpost import --format guardduty` prints. */
export interface FindingsSummary {
  files: number;
  findings: number;
  /** Stored rows: one per finding and remote IP. */
  rows: number;
  /** Findings without a remote IP: kept and counted, no IP evidence. */
  withoutIp: number;
  skipped: Record<string, number>;
}

/**
 * Imports GuardDuty exports into a site's findings, 500 findings at a time.
 *
 * @example
 * const summary = await importGuardDuty(store, site, [() => createReadStream('findings.jsonl.gz')], Date.now());
 */
export async function importGuardDuty(
  store: Store,
  site: Site,
  sources: Array<() => LogSource>,
  now: number,
): Promise<FindingsSummary> {
  const summary: FindingsSummary = { files: 0, findings: 0, rows: 0, withoutIp: 0, skipped: {} };
  let pending: Finding[] = [];
  const flush = async () => {
    if (pending.length > 0) await store.putFindings(site.id, pending);
    pending = [];
  };
  for (const open of sources) {
    for await (const result of readFindings(open(), now)) {
      if ('skip' in result) {
        summary.skipped[result.skip] = (summary.skipped[result.skip] ?? 0) + 1;
        continue;
      }
      summary.findings += 1;
      summary.rows += result.rows.length;
      if (result.rows[0]!.ip === '') summary.withoutIp += 1;
      pending.push(...result.rows);
      if (pending.length >= 500) await flush();
    }
    await flush();
    summary.files += 1;
  }
  return summary;
}
