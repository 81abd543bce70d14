/**
 * GuardDuty findings as AWS exports them: one finding per line (the S3 export, or EventBridge events
 * whose `detail` is a finding), or a `{"findings": [...]}` document (`aws guardduty get-findings`),
 * plain or gzip. Each finding becomes one row per remote IP of its action (network connection, AWS
 * API call, port probe, Kubernetes API call, RDS login), or one row without an IP. Hostile input is
 * skipped with a reason, never stored: records nested deeper than 32, bad ids or types, severities
 * outside 0..10, absurd times, IPs that are not IP literals.
 */
import { normalizeIp, normalizeCountry } from '@watchpost/middleware';
import type { Finding } from '../db/findings.js';
import { jsonDepthExceeds } from './json-depth.js';

/** Why a finding was skipped. */
export type FindingSkip = 'not-json' | 'too-deep' | 'not-a-finding' | 'bad-field' | 'bad-time';

const PRINTABLE = /^[\x20-\x7e]{1,300}$/;
const MIN_TIME = Date.UTC(2000, 0, 1);
/** Remote IPs taken from one finding, at most (port probes list one per prober). */
const MAX_IPS = 100;

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (o: unknown, key: string): unknown => (isObj(o) && Object.hasOwn(o, key) ? o[key] : undefined);
const text = (value: unknown): string | null => (typeof value === 'string' && PRINTABLE.test(value) ? value : null);

function timeOf(value: unknown, now: number): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= MIN_TIME && ms <= now + 86_400_000 ? ms : null;
}

/** The remote endpoints of the finding's action: `remoteIpDetails` objects, wherever the action puts them. */
function remoteDetails(action: unknown): unknown[] {
  const details: unknown[] = [];
  for (const kind of [
    'networkConnectionAction',
    'awsApiCallAction',
    'kubernetesApiCallAction',
    'rdsLoginAttemptAction',
  ]) {
    const remote = own(own(action, kind), 'remoteIpDetails');
    if (remote !== undefined) details.push(remote);
  }
  const probes = own(own(action, 'portProbeAction'), 'portProbeDetails');
  if (Array.isArray(probes)) for (const probe of probes.slice(0, MAX_IPS)) details.push(own(probe, 'remoteIpDetails'));
  return details;
}

function resourceOf(resource: unknown): string {
  const type = text(own(resource, 'resourceType')) ?? 'Unknown';
  const id =
    text(own(own(resource, 'instanceDetails'), 'instanceId')) ??
    text(own(own(resource, 'accessKeyDetails'), 'accessKeyId')) ??
    text(own(own(resource, 'eksClusterDetails'), 'name')) ??
    text(own(own(resource, 's3BucketDetails'), 'name')) ??
    '';
  return id ? `${type}:${id}` : type;
}

/**
 * The rows of one finding object, or why it cannot be stored.
 *
 * @example
 * findingRows(JSON.parse(line), Date.now()); // { rows: [{ findingId, ip: '198.51.100.7', ... }] }
 */
export function findingRows(value: unknown, now: number): { rows: Finding[] } | { skip: FindingSkip } {
  // An EventBridge event carries the finding in `detail`.
  const finding = own(value, 'detail-type') === 'GuardDuty Finding' ? own(value, 'detail') : value;
  if (!isObj(finding) || own(finding, 'schemaVersion') === undefined || own(finding, 'service') === undefined)
    return { skip: 'not-a-finding' };
  const findingId = text(own(finding, 'id'));
  const type = text(own(finding, 'type'));
  const severity = own(finding, 'severity');
  const region = text(own(finding, 'region')) ?? '';
  const accountId = text(own(finding, 'accountId')) ?? '';
  if (!findingId || !type || typeof severity !== 'number' || !(severity >= 0 && severity <= 10))
    return { skip: 'bad-field' };
  const service = own(finding, 'service');
  const updated = timeOf(own(finding, 'updatedAt'), now);
  const firstSeen = timeOf(own(service, 'eventFirstSeen'), now) ?? updated;
  const lastSeen = timeOf(own(service, 'eventLastSeen'), now) ?? updated;
  if (firstSeen === null || lastSeen === null) return { skip: 'bad-time' };
  const rawCount = own(service, 'count');
  const count =
    typeof rawCount === 'number' && Number.isInteger(rawCount) && rawCount > 0 ? Math.min(rawCount, 1e9) : 1;
  const base = { findingId, type, severity, region, accountId, resource: resourceOf(own(finding, 'resource')) };
  const rows = new Map<string, Finding>();
  for (const details of remoteDetails(own(service, 'action'))) {
    const raw = own(details, 'ipAddressV4') ?? own(details, 'ipAddressV6');
    const ip = typeof raw === 'string' ? normalizeIp(raw) : null;
    if (!ip || rows.has(ip)) continue;
    const code = own(own(details, 'country'), 'countryCode');
    const country = typeof code === 'string' ? normalizeCountry(code) : null;
    rows.set(ip, { ...base, ip, country, firstSeen, lastSeen, count });
  }
  if (rows.size === 0) return { rows: [{ ...base, ip: '', country: null, firstSeen, lastSeen, count }] };
  return { rows: [...rows.values()] };
}

/** The findings of one line or document of JSON text. */
export function parseFindingsText(textValue: string, now: number): Array<{ rows: Finding[] } | { skip: FindingSkip }> {
  if (jsonDepthExceeds(textValue)) return [{ skip: 'too-deep' }];
  let value: unknown;
  try {
    value = JSON.parse(textValue);
  } catch {
    return [{ skip: 'not-json' }];
  }
  const list = own(value, 'findings');
  if (Array.isArray(list)) return list.map((item) => findingRows(item, now));
  return [findingRows(value, now)];
}
