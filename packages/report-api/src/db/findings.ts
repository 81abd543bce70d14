/**
 * GuardDuty findings of a site, one row per finding and remote IP (`ip` empty when the finding has
 * none). Storage only, written once over the `Executor`; parsing is `importers/guardduty.ts`.
 */
import type { Executor } from './executor.js';

/** One finding as stored (times in epoch ms). */
export interface Finding {
  findingId: string;
  /** The remote IP of the finding's action, or '' when it has none. */
  ip: string;
  type: string;
  /** 0 to 10 (GuardDuty: low < 4, medium < 7, high from 7). */
  severity: number;
  region: string;
  accountId: string;
  /** `resourceType:id`, e.g. `Instance:i-0abc`. */
  resource: string;
  country: string | null;
  firstSeen: number;
  lastSeen: number;
  count: number;
}

export interface FindingStore {
  /** Replaces the rows of each finding id given (a re-import of an updated finding does not double it). */
  putFindings(siteId: string, findings: readonly Finding[]): Promise<void>;
  /** Findings last seen in `[from, to)`, by last seen. */
  listFindings(siteId: string, from: number, to: number): Promise<Finding[]>;
}

interface FindingRow {
  finding_id: string;
  ip: string;
  type: string;
  severity: number;
  region: string;
  account_id: string;
  resource: string;
  country: string | null;
  first_seen: number;
  last_seen: number;
  count: number;
}

const COLUMNS = 'finding_id, ip, type, severity, region, account_id, resource, country, first_seen, last_seen, count';

/**
 * The `FindingStore` of a database (table `findings`).
 *
 * @example
 * await findingStoreOn(sqliteExecutor(db)).putFindings(siteId, parsed);
 */
export function findingStoreOn(db: Executor): FindingStore {
  return {
    async putFindings(siteId, findings) {
      // One transaction: a reader never sees a finding between its old rows going and its new ones coming.
      const ids = [...new Set(findings.map((f) => f.findingId))];
      await db.batch([
        ...ids.map((id) => ({
          sql: 'DELETE FROM findings WHERE site_id = $1 AND finding_id = $2',
          params: [siteId, id],
        })),
        ...findings.map((f) => ({
          sql: `INSERT INTO findings (site_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (site_id, finding_id, ip) DO NOTHING`,
          params: [
            siteId,
            f.findingId,
            f.ip,
            f.type,
            f.severity,
            f.region,
            f.accountId,
            f.resource,
            f.country,
            f.firstSeen,
            f.lastSeen,
            f.count,
          ],
        })),
      ]);
    },
    async listFindings(siteId, from, to) {
      const rows = await db.all<FindingRow>(
        `SELECT ${COLUMNS} FROM findings WHERE site_id = $1 AND last_seen >= $2 AND last_seen < $3
         ORDER BY last_seen, finding_id${db.binary}, ip${db.binary}`,
        [siteId, from, to],
      );
      return rows.map((r) => ({
        findingId: r.finding_id,
        ip: r.ip,
        type: r.type,
        severity: Number(r.severity),
        region: r.region,
        accountId: r.account_id,
        resource: r.resource,
        country: r.country,
        firstSeen: Number(r.first_seen),
        lastSeen: Number(r.last_seen),
        count: Number(r.count),
      }));
    },
  };
}
