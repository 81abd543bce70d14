import { eventSchema } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import { parseAlbLine } from './alb.js';
import { createParseContext } from './context.js';

const ELB = 'app/shop-prod/50dc6c495c0c9188';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067';

/** Builds an ALB access-log line from the documented field order, overriding some fields. */
function albLine(o: Partial<Record<string, string>> = {}): string {
  const f = {
    type: 'https',
    time: '2026-03-09T14:02:11.482913Z',
    elb: ELB,
    client: '198.51.100.23:50412',
    target: '10.0.1.7:8080',
    rpt: '0.001',
    tpt: '0.032',
    spt: '0.000',
    elbStatus: '200',
    targetStatus: '200',
    rb: '310',
    sb: '5120',
    request: '"GET https://shop.example:443/cart?item=42 HTTP/1.1"',
    ua: '"Mozilla/5.0 (Macintosh)"',
    cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
    proto: 'TLSv1.2',
    tg: TG,
    trace: '"Root=1-65ec6b13-0b1c2d3e4f5a6b7c8d9e0f1a"',
    domain: '"shop.example"',
    cert: '"arn:aws:acm:eu-west-1:111122223333:certificate/8a1b2c3d"',
    priority: '1',
    created: '2026-03-09T14:02:11.449000Z',
    actions: '"forward"',
    redirect: '"-"',
    error: '"-"',
    targetList: '"10.0.1.7:8080"',
    targetStatusList: '"200"',
    classification: '"-"',
    classificationReason: '"-"',
    connTrace: 'TID_9f8e7d6c5b4a',
    ...o,
  };
  return Object.values(f).join(' ');
}

describe('parseAlbLine', () => {
  it.each([
    {
      name: 'a forwarded https request',
      line: albLine(),
      want: {
        ts: Date.parse('2026-03-09T14:02:11.449Z'),
        ip: '198.51.100.23',
        method: 'GET',
        host: 'shop.example',
        path: '/cart',
        status: 200,
        latencyMs: 33,
        ua: 'Mozilla/5.0 (Macintosh)',
        action: 'allow',
        rule: null,
      },
    },
    {
      name: 'never reached a target: 503, target "-", processing times -1',
      line: albLine({
        target: '-',
        rpt: '-1',
        tpt: '-1',
        spt: '-1',
        elbStatus: '503',
        targetStatus: '-',
        targetList: '"-"',
        targetStatusList: '"-"',
        error: '"NoHealthyTargets"',
      }),
      want: { status: 503, latencyMs: 0, action: 'allow' },
    },
    {
      name: 'target closed the connection: 502 from the ALB',
      line: albLine({ elbStatus: '502', targetStatus: '-', tpt: '-1', error: '"TargetConnectionErrorCode"' }),
      want: { status: 502, latencyMs: 1 },
    },
    {
      name: 'client went away: 460 becomes 0',
      line: albLine({ elbStatus: '460', targetStatus: '-', tpt: '-1' }),
      want: { status: 0 },
    },
    {
      name: 'blocked by AWS WAF (waf in actions_executed, 403)',
      line: albLine({
        target: '-',
        elbStatus: '403',
        targetStatus: '-',
        tpt: '-1',
        spt: '-1',
        actions: '"waf,forward"',
      }),
      want: { status: 403, action: 'block', rule: 'aws-waf' },
    },
    {
      name: 'a 403 from the target itself is not a WAF block',
      line: albLine({ elbStatus: '403', targetStatus: '403', actions: '"waf,forward"'.replace('waf,', '') }),
      want: { status: 403, action: 'allow', rule: null },
    },
    {
      name: 'waf-failed is not a block',
      line: albLine({ elbStatus: '403', targetStatus: '403', actions: '"waf-failed,forward"' }),
      want: { action: 'allow' },
    },
    {
      name: 'plain http, host from the URL, no SNI',
      line: albLine({
        type: 'http',
        request: '"POST http://api.example:80/v1/login HTTP/1.1"',
        domain: '"-"',
        cipher: '-',
        proto: '-',
      }),
      want: { method: 'POST', host: 'api.example', path: '/v1/login' },
    },
    {
      name: 'unparseable request "- - - " falls back to domain_name for the host',
      line: albLine({ elbStatus: '400', targetStatus: '-', request: '"- - - "' }),
      want: { method: '-', path: '-', host: 'shop.example', status: 400 },
    },
    {
      name: 'IPv6 client with the port appended',
      line: albLine({ client: '2001:db8:4:1::a:51544' }),
      want: { ip: '2001:db8:4:1::a' },
    },
    {
      name: 'escaped quote in the user agent',
      line: albLine({ ua: '"sqlmap/1.8 \\"probe\\""' }),
      want: { ua: 'sqlmap/1.8 "probe"', botCategory: 'scanner' },
    },
    {
      name: 'newer trailing fields are tolerated',
      line: `${albLine()} "-" future_field "another one"`,
      want: { status: 200, path: '/cart' },
    },
    {
      name: 'an old line that ends after the user agent uses `time`',
      line: albLine().split(' ECDHE')[0]!,
      want: { ts: Date.parse('2026-03-09T14:02:11.482Z'), status: 200 },
    },
    {
      name: 'h2 and websockets are requests too',
      line: albLine({ type: 'wss', request: '"GET wss://chat.example:443/socket HTTP/1.1"' }),
      want: { host: 'chat.example', path: '/socket' },
    },
  ])('$name', ({ line, want }) => {
    const result = parseAlbLine(line);
    if (!('event' in result)) throw new Error(`skipped: ${result.skip}`);
    expect(result.event).toMatchObject({ sampleRate: 1, country: null, ...want });
    expect(eventSchema.safeParse(result.event).success).toBe(true);
  });

  it.each([
    { name: 'blank line', line: '', skip: 'empty' },
    {
      name: 'NLB TLS log entry',
      line:
        'tls 2.0 2026-03-09T14:02:11 net/edge-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd 203.0.113.80:51341 ' +
        '10.0.2.9:443 5 2 98 246 - arn:aws:acm:eu-west-1:111122223333:certificate/2a3b4c - ECDHE-RSA-AES128-SHA ' +
        'tlsv12 - api.example - - - 2026-03-09T14:02:09',
      skip: 'nlb-tls-entry',
    },
    {
      name: 'ALB connection-log line',
      line:
        '2026-03-09T14:02:11.102938Z 198.51.100.23 50412 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 3 - - - ' +
        'Success TID_9f8e7d6c5b4a',
      skip: 'connection-log',
    },
    { name: 'garbage', line: 'GET / HTTP/1.1', skip: 'unknown-line-type' },
    { name: 'cut inside a quoted field', line: albLine().slice(0, 160), skip: 'truncated' },
    { name: 'cut before the user agent', line: albLine().split(' "Mozilla')[0]!, skip: 'truncated' },
    { name: 'bad client', line: albLine({ client: 'unknown:0' }), skip: 'bad-ip' },
    { name: 'bad time', line: albLine({ time: 'yesterday', created: '-' }), skip: 'bad-timestamp' },
    { name: 'bad status', line: albLine({ elbStatus: 'abc' }), skip: 'bad-status' },
  ])('skips $name as $skip', ({ line, skip }) => {
    expect(parseAlbLine(line)).toEqual({ skip });
  });
});

describe('parseAlbLine with hostile lines', () => {
  const now = Date.UTC(2026, 11, 4);
  const ctx = createParseContext({ now: () => now });
  it.each([
    {
      name: 'year 1999',
      line: albLine({ time: '1999-12-31T23:59:59.000000Z', created: '1999-12-31T23:59:59.000000Z' }),
      skip: 'bad-timestamp',
    },
    {
      name: 'year 275760',
      line: albLine({ time: '275760-09-13T00:00:00.000001Z', created: '-' }),
      skip: 'bad-timestamp',
    },
    {
      name: 'far future',
      line: albLine({ time: '2099-01-01T00:00:00.000000Z', created: '2099-01-01T00:00:00.000000Z' }),
      skip: 'bad-timestamp',
    },
    { name: 'client is markup', line: albLine({ client: '<script>:80' }), skip: 'bad-ip' },
    { name: 'client is a word', line: albLine({ client: 'not-an-ip:1' }), skip: 'bad-ip' },
  ])('skips $name as $skip', ({ line, skip }) => {
    expect(parseAlbLine(line, ctx)).toEqual({ skip });
  });

  it.each([
    {
      name: 'a future created time falls back to a sane time',
      line: albLine({ created: '2099-01-01T00:00:00.000000Z' }),
      want: { ts: Date.parse('2026-03-09T14:02:11.482Z') },
    },
    {
      name: 'processing times of 1e308 are clamped to a day',
      line: albLine({ rpt: '1e308', tpt: '1e308', spt: 'Infinity' }),
      want: { latencyMs: 86_400_000 },
    },
    {
      name: 'a 200-character domain of İ (lower-cases longer) stays within 255',
      line: albLine({ request: '"- - - "', domain: `"${'İ'.repeat(200)}"` }),
      want: {},
    },
    {
      name: 'ESC and C1 in the user agent are escaped',
      line: albLine({ ua: '"a\u001b[2J\u009bz"' }),
      want: { ua: 'a%1B[2J%9Bz' },
    },
  ])('$name', ({ line, want }) => {
    const result = parseAlbLine(line, ctx);
    expect(result).toMatchObject({ event: want });
    const event = (result as { event: { host: string } }).event;
    expect(eventSchema.safeParse(event).success).toBe(true);
    expect(event.host.length).toBeLessThanOrEqual(255);
  });
});
