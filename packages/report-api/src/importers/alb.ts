import { MAX_LATENCY_MS, type WatchpostEvent } from '@watchpost/middleware/protocol';
import { defaultParseContext, type ParseContext, type ParseResult } from './context.js';
import { plausibleTs } from './plausible.js';
import { cleanHost, cleanPath, cleanToken, cleanUa, parseIsoUtc, splitLogFields, splitTarget } from './fields.js';

/** Request types of an ALB access-log entry (the first field). */
const REQUEST_TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);

/** ALB writes 460 when the client closed the connection first; the protocol says 0 for that. */
const CLIENT_CLOSED = 460;

/** Field positions of the documented ALB access-log format; later fields may be added by AWS. */
const F = {
  type: 0,
  time: 1,
  client: 3,
  requestProcessing: 5,
  targetProcessing: 6,
  responseProcessing: 7,
  elbStatus: 8,
  request: 12,
  userAgent: 13,
  domainName: 18,
  requestCreationTime: 21,
  actionsExecuted: 22,
} as const;

/** `ip:port`, `[v6]:port` or a bare IPv6 with `:port` appended → the address part. */
function clientAddress(clientPort: string): string {
  if (clientPort.charCodeAt(0) === 91 /* [ */) {
    const end = clientPort.indexOf(']');
    return end === -1 ? clientPort : clientPort.slice(1, end);
  }
  const colon = clientPort.lastIndexOf(':');
  return colon === -1 ? clientPort : clientPort.slice(0, colon);
}

/** `"GET https://shop.example:443/cart?x=1 HTTP/2.0"` → method, host and path. `- - - ` → dashes. */
function splitRequest(raw: string): { method: string; host: string; path: string } {
  const request = raw.trimEnd();
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  if (first <= 0 || last <= first) return { method: '-', host: '', path: '-' };
  const method = cleanToken(request.slice(0, first), 16);
  const url = request.slice(first + 1, last);
  if (url === '-' || url === '') return { method, host: '', path: '-' };
  const { host, path } = splitTarget(url);
  return { method, host: host ?? '', path };
}

function seconds(field: string | undefined): number {
  const value = field === undefined ? -1 : Number(field);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Parses one line of an Application Load Balancer access log: space-separated, quoted fields,
 * tolerant of fields AWS appends later (only the documented prefix is read). Requests that never
 * reached a target (`-` target, `-` target status) keep the ALB's own status (460, 502, 503 ...);
 * 460 (client closed) becomes 0 as the protocol wants. A 403 with `waf` in `actions_executed` is a
 * block by rule `aws-waf`. NLB TLS entries and ALB connection-log lines are skipped with their reason.
 * Time is `request_creation_time` when present (the protocol's "request start"), else `time`;
 * latency is the sum of the three processing times (the `-1`s of undispatched requests count 0).
 *
 * @example
 * parseAlbLine('https 2026-03-09T14:02:11.482913Z app/shop/50dc6c495c0c9188 198.51.100.23:50412 10.0.1.7:8080 0.001
 * 0.032 0.000 200 200 310 5120 "GET https://shop.example:443/cart?x=1 HTTP/1.1" "Mozilla/5.0"
 * ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2
 * arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067 "Root=1-65f1" "shop.example"
 * "-" 1 2026-03-09T14:02:11.449000Z "forward" "-" "-" "10.0.1.7:8080" "200" "-" "-" TID_1');
 * // { event: { ip: '198.51.100.23', host: 'shop.example', path: '/cart', status: 200, latencyMs: 33, ... } }
 */
export function parseAlbLine(line: string, ctx: ParseContext = defaultParseContext): ParseResult {
  if (line.trim() === '') return { skip: 'empty' };
  const space = line.indexOf(' ');
  const type = space === -1 ? line : line.slice(0, space);
  if (!REQUEST_TYPES.has(type)) {
    if (type === 'tls') return { skip: 'nlb-tls-entry' };
    // Connection logs start with the time, then the client IP.
    if (!Number.isNaN(parseIsoUtc(type))) return { skip: 'connection-log' };
    return { skip: 'unknown-line-type' };
  }
  // Fields after actions_executed are not used: not splitting them is a quarter of the parse time.
  const fields = splitLogFields(line, F.actionsExecuted + 1);
  if (fields === null || fields.length <= F.userAgent) return { skip: 'truncated' };
  const created = fields[F.requestCreationTime];
  let ts = created !== undefined && created !== '-' ? parseIsoUtc(created) : Number.NaN;
  if (!plausibleTs(ts, ctx.now())) ts = parseIsoUtc(fields[F.time]!);
  if (!plausibleTs(ts, ctx.now())) return { skip: 'bad-timestamp' };
  const ip = ctx.normalizeIp(clientAddress(fields[F.client]!));
  if (ip === null) return { skip: 'bad-ip' };
  const statusText = fields[F.elbStatus]!;
  let status = 0;
  if (statusText !== '-') {
    if (!/^\d{3}$/.test(statusText)) return { skip: 'bad-status' };
    status = Number(statusText);
    if (status === CLIENT_CLOSED) status = 0;
  }
  const { method, host: urlHost, path } = splitRequest(fields[F.request]!);
  const domain = fields[F.domainName];
  const host = urlHost !== '' ? urlHost : domain !== undefined && domain !== '-' ? domain : '';
  const actions = fields[F.actionsExecuted] ?? '';
  const blockedByWaf = status === 403 && actions.split(',').includes('waf');
  const latencyMs =
    (seconds(fields[F.requestProcessing]) +
      seconds(fields[F.targetProcessing]) +
      seconds(fields[F.responseProcessing])) *
    1000;
  const ua = cleanUa(fields[F.userAgent]!);
  const bot = ctx.bot(ua, ip);
  const event: WatchpostEvent = {
    ts,
    ip,
    country: ctx.country(ip),
    method,
    host: cleanHost(host),
    path: cleanPath(path),
    status,
    latencyMs: Math.min(Math.round(latencyMs * 1000) / 1000, MAX_LATENCY_MS),
    ua,
    action: blockedByWaf ? 'block' : 'allow',
    rule: blockedByWaf ? 'aws-waf' : null,
    botCategory: bot.category,
    sampleRate: 1,
  };
  if (bot.name !== null) event.botName = bot.name;
  return { event };
}
