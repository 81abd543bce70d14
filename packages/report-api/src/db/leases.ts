/**
 * Time-bound claims shared by every process on one database: which report-API instance runs the
 * alert monitor, which one sends a site's daily report. Part of `Store`.
 *
 * @example
 * if (await store.claimLease('alerts:monitor', instanceId, Date.now() + 30_000, Date.now())) await monitor.tick();
 */
export interface LeaseStore {
  /**
   * Takes or renews lease `name` for `holder` until `until` (epoch ms). True when `holder` has it
   * now: it was free, had expired at `now`, or was already `holder`'s. Expired leases are deleted
   * by `purgeBefore`.
   */
  claimLease(name: string, holder: string, until: number, now: number): Promise<boolean>;
}
