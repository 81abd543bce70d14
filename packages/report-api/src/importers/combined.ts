import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { defaultParseContext, type ParseContext, type ParseResult } from './context.js';
import { plausibleTs } from './plausible.js';
import { cleanHost, cleanPath, cleanUa, parseClfTime, splitLogFields, splitTarget, stripPort } from './fields.js';

/** nginx writes 499 when the client closed the connection; the protocol says 0 for that. */
const CLIENT_CLOSED = 499;

const METHOD = /^[A-Z][A-Z0-9_-]{0,15}$/;

/** Method and path of a `%r` request line; `-` for both when the line is not a request (TLS on port 80, junk). */
function splitRequest(request: string): { method: string; target: string } {
  const first = request.indexOf(' ');
  if (first === -1) return { method: '-', target: '-' };
  const method = request.slice(0, first);
  if (!METHOD.test(method)) return { method: '-', target: '-' };
  const last = request.lastIndexOf(' ');
  const target = last > first ? request.slice(first + 1, last) : request.slice(first + 1);
  return { method, target: target === '' ? '-' : target };
}

/**
 * Parses one line of the Apache/nginx combined log format
 * (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`), the common format (without the last
 * two fields) and Apache's `vhost_combined` (`%v:%p` in front). Status 499 (client closed) becomes 0;
 * the format has no latency (0) and no country (looked up through the context, else null).
 *
 * @example
 * parseCombinedLine('203.0.113.9 - - [10/Oct/2026:13:55:36 +0000] "GET /a?b=1 HTTP/1.1" 404 0 "-" "curl/8.5.0"');
 * // { event: { ip: '203.0.113.9', method: 'GET', path: '/a', status: 404, ua: 'curl/8.5.0', ... } }
 */
export function parseCombinedLine(line: string, ctx: ParseContext = defaultParseContext): ParseResult {
  if (line.trim() === '') return { skip: 'empty' };
  const open = line.indexOf(' [');
  // No time: a line cut short if it starts like one of ours, else some other kind of text.
  if (open === -1)
    return { skip: ctx.normalizeIp(line.split(' ', 1)[0]!) === null ? 'unknown-line-type' : 'truncated' };
  const close = line.indexOf(']', open);
  if (close === -1) return { skip: 'truncated' };
  const head = line.slice(0, open).split(' ');
  // `host ident user`, or `vhost:port host ident user` in vhost_combined.
  if (head.length < 3 || head.length > 4) return { skip: 'missing-field' };
  const ip = ctx.normalizeIp(head.length === 4 ? head[1]! : head[0]!);
  if (ip === null) return { skip: 'bad-ip' };
  const ts = parseClfTime(line.slice(open + 2, close));
  if (!plausibleTs(ts, ctx.now())) return { skip: 'bad-timestamp' };
  const rest = splitLogFields(line.slice(close + 1));
  if (rest === null) return { skip: 'truncated' };
  const [request, statusText, , , uaText = ''] = rest;
  if (request === undefined || statusText === undefined) return { skip: 'truncated' };
  if (!/^\d{3}$/.test(statusText)) return { skip: 'bad-status' };
  const code = Number(statusText);
  const { method, target } = splitRequest(request);
  const { host: targetHost, path } = splitTarget(target);
  const host = head.length === 4 ? stripPort(head[0]!) : (targetHost ?? '');
  const ua = cleanUa(uaText);
  const bot = ctx.bot(ua, ip);
  const event: WatchpostEvent = {
    ts,
    ip,
    country: ctx.country(ip),
    method,
    host: cleanHost(host),
    path: cleanPath(path),
    status: code === CLIENT_CLOSED ? 0 : code,
    latencyMs: 0,
    ua,
    action: 'allow',
    rule: null,
    botCategory: bot.category,
    sampleRate: 1,
  };
  if (bot.name !== null) event.botName = bot.name;
  return { event };
}
