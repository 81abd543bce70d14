/**
 * The report's GuardDuty section: the findings last seen that day by type, severity, region, hour
 * and country, and their remote IPs, those also seen in the site's HTTP traffic first, with both
 * kinds of evidence side by side.
 */
import type { Finding } from '../db/findings.js';
import type { Store } from '../db/store.js';
import type { GuardDutySection } from './types.js';

const HOUR = 3_600_000;
const severityOf = (s: number): 'low' | 'medium' | 'high' => (s >= 7 ? 'high' : s >= 4 ? 'medium' : 'low');

function countBy<T>(items: readonly T[], key: (item: T) => string): Array<{ key: string; findings: number }> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([k, findings]) => ({ key: k, findings }))
    .sort((a, b) => b.findings - a.findings || a.key.localeCompare(b.key));
}

/**
 * Builds the section for the local day `[from, to)` (`date` names its rollups); undefined when the
 * site has no finding that day.
 *
 * @example
 * const guardDuty = await buildGuardDutySection(store, site.id, { date, from, to, top: 10 });
 */
export async function buildGuardDutySection(
  store: Store,
  siteId: string,
  { date, from, to, top }: { date: string; from: number; to: number; top: number },
): Promise<GuardDutySection | undefined> {
  const rows = await store.listFindings(siteId, from, to);
  if (rows.length === 0) return undefined;
  const byFinding = new Map<string, Finding>();
  for (const row of rows) if (!byFinding.has(row.findingId)) byFinding.set(row.findingId, row);
  const findings = [...byFinding.values()];
  const withIp = rows.filter((row) => row.ip !== '');
  const ips = new Map<string, Finding[]>();
  for (const row of withIp) ips.set(row.ip, [...(ips.get(row.ip) ?? []), row]);
  const traffic = new Map(
    (await store.getDimensionRows(siteId, date, 'ip', [...ips.keys()].slice(0, 1000))).map((r) => [r.key, r]),
  );
  const ipRows = [...ips].map(([ip, list]) => {
    const http = traffic.get(ip);
    return {
      ip,
      country: list[0]!.country,
      findings: list.length,
      types: [...new Set(list.map((f) => f.type))].sort(),
      maxSeverity: Math.max(...list.map((f) => f.severity)),
      times: list.reduce((sum, f) => sum + f.count, 0),
      requests: http ? Math.round(http.requests) : 0,
      errors4xx: http ? Math.round(http.s4xx) : 0,
    };
  });
  ipRows.sort(
    (a, b) =>
      Number(b.requests > 0) - Number(a.requests > 0) || b.maxSeverity - a.maxSeverity || a.ip.localeCompare(b.ip),
  );
  const hours = Array.from({ length: Math.ceil((to - from) / HOUR) }, () => 0);
  for (const f of findings) {
    const i = Math.floor((f.lastSeen - from) / HOUR);
    if (i >= 0 && i < hours.length) hours[i]! += 1;
  }
  return {
    findings: findings.length,
    withoutIp: findings.filter((f) => !withIp.some((row) => row.findingId === f.findingId)).length,
    byType: countBy(findings, (f) => f.type)
      .slice(0, top)
      .map(({ key, findings: n }) => ({ type: key, findings: n })),
    bySeverity: countBy(findings, (f) => severityOf(f.severity)).map(({ key, findings: n }) => ({
      severity: key as 'low' | 'medium' | 'high',
      findings: n,
    })),
    byRegion: countBy(findings, (f) => f.region)
      .slice(0, top)
      .map(({ key, findings: n }) => ({ region: key, findings: n })),
    byCountry: countBy(withIp, (f) => f.country ?? '')
      .slice(0, top)
      .map(({ key, findings: n }) => ({
        country: key === '' ? null : key,
        findings: n,
      })),
    byHour: hours,
    ips: ipRows.slice(0, top),
    alsoInTraffic: ipRows.filter((row) => row.requests > 0).length,
  };
}
