import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithSite, tempStore } from '../../test/helpers.js';
import type { AppEnv } from '../http/env.js';
import type { DailyReport } from '../reports/types.js';
import { createParseContext } from './context.js';
import { importRoutes } from './route.js';

const t = tempStore();
let ctx: Awaited<ReturnType<typeof appWithSite>>;
beforeAll(async () => {
  ctx = await appWithSite(t.store, { timeZone: 'UTC' });
});
afterAll(() => t.cleanup());

function wafLine(i: number): string {
  const blocked = i % 4 === 0;
  return JSON.stringify({
    timestamp: Date.UTC(2026, 2, 9, 9, 0, i),
    action: blocked ? 'BLOCK' : 'ALLOW',
    terminatingRuleId: blocked ? 'BlockScanners' : 'Default_Action',
    terminatingRuleType: 'REGULAR',
    httpRequest: {
      clientIp: blocked ? '203.0.113.9' : `198.51.100.${i}`,
      country: blocked ? 'NL' : 'JP',
      headers: [
        { name: 'Host', value: 'shop.example' },
        { name: 'User-Agent', value: blocked ? 'Nikto/2.5.0' : 'Mozilla/5.0' },
      ],
      uri: blocked ? '/.env' : '/',
      args: '',
      httpMethod: 'GET',
    },
  });
}

/** 40 WAF records (10 blocked), a truncated record and a line of junk. */
const wafLog = [...Array.from({ length: 40 }, (_, i) => wafLine(i)), wafLine(99).slice(0, 50), 'junk'].join('\n');

const post = (
  key: string,
  body: BodyInit,
  query = '?format=aws-waf',
  headers: Record<string, string> = {},
): RequestInit & { path: string } => ({
  path: `/v1/import${query}`,
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, ...headers },
  body,
});

async function send(init: RequestInit & { path: string }) {
  return ctx.app.request(init.path, init);
}

describe('POST /v1/import', () => {
  it('imports a gzip WAF log with the admin key; sending it again adds nothing to the daily report', async () => {
    const res = await send(post(ctx.adminKey, gzipSync(wafLog), '?format=aws-waf', { 'content-encoding': 'gzip' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      files: 1,
      linesRead: 42,
      imported: 40,
      skipped: 2,
      duplicates: 0,
      skippedByReason: { truncated: 1, 'not-json': 1 },
    });
    const report = async () => {
      const answer = await ctx.app.request('/v1/reports/daily?date=2026-03-09', {
        headers: { authorization: `Bearer ${ctx.adminKey}` },
      });
      expect(answer.status).toBe(200);
      return (await answer.json()) as DailyReport;
    };
    const before = await report();
    expect(before.totals).toMatchObject({ requests: 40, blocked: 10, allowed: 30 });
    expect(before.blocksByRule).toContainEqual(expect.objectContaining({ rule: 'BlockScanners', blocked: 10 }));
    expect(before.topCountries[0]).toMatchObject({ country: 'JP', requests: 30 });

    // the same log, plain this time: same lines, same batch ids
    const again = await send(post(ctx.adminKey, wafLog));
    expect(await again.json()).toMatchObject({ imported: 0, duplicates: 40 });
    expect((await report()).totals).toEqual(before.totals);
  });

  it('imports an ALB log and skips NLB and connection-log lines by reason', async () => {
    const alb = [
      'h2 2026-03-10T08:00:00.100000Z app/shop/1a2b 192.0.2.50:41234 10.0.0.5:80 0.001 0.010 0.000 200 200 120 ' +
        '900 "GET https://shop.example:443/ HTTP/2.0" "Mozilla/5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ' +
        'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/9f "Root=1-1" "shop.example" "-" ' +
        '0 2026-03-10T08:00:00.090000Z "forward" "-" "-" "10.0.0.5:80" "200" "-" "-" TID_1',
      'https 2026-03-10T08:00:01.100000Z app/shop/1a2b 192.0.2.51:41235 - -1 -1 -1 503 - 120 0 "GET ' +
        'https://shop.example:443/cart HTTP/1.1" "Mozilla/5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-2" ' +
        '"shop.example" "-" 0 2026-03-10T08:00:01.090000Z "forward" "-" "NoHealthyTargets" "-" "-" "-" "-" TID_2',
      'tls 2.0 2026-03-10T08:00:02 net/edge/c6e7 g3d4 203.0.113.80:51341 10.0.2.9:443 5 2 98 246 - - - ' +
        'ECDHE-RSA-AES128-SHA tlsv12 - - - - - 2026-03-10T08:00:01',
      '2026-03-10T08:00:03.000000Z 192.0.2.50 41234 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 3 - - - Success TID_1',
    ].join('\n');
    const res = await send(post(ctx.adminKey, alb, '?format=alb'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      imported: 2,
      skippedByReason: { 'nlb-tls-entry': 1, 'connection-log': 1 },
    });
  });

  it.each([
    { name: 'an ingest key', key: () => ctx.ingestKey, query: '?format=alb', status: 403 },
    { name: 'no key', key: () => null, query: '?format=alb', status: 401 },
    { name: 'no format', key: () => ctx.adminKey, query: '', status: 400 },
    { name: 'an unknown format', key: () => ctx.adminKey, query: '?format=iis', status: 400 },
  ])('refuses $name with $status and stores nothing', async ({ key, query, status }) => {
    const k = key();
    const init = post(k ?? '', 'line\n', query);
    if (k === null) init.headers = {};
    const res = await send(init);
    expect(res.status).toBe(status);
    expect(await res.json()).toHaveProperty('error');
  });

  it('refuses an unknown content encoding with 415 and broken gzip with 400', async () => {
    const br = await send(post(ctx.adminKey, 'x', '?format=alb', { 'content-encoding': 'br' }));
    expect(br.status).toBe(415);
    const broken = await send(
      post(ctx.adminKey, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), '?format=alb'),
    );
    expect(broken.status).toBe(400);
  });

  it('answers 413 past the body or decompressed limits', async () => {
    const deps = {
      store: t.store,
      now: Date.now,
      logError: () => undefined,
      limits: { maxBodyBytes: 1, maxDecompressedBytes: 1 },
    };
    const context = createParseContext();
    const small = new Hono<AppEnv>().route(
      '/v1/import',
      importRoutes(deps, { maxBodyBytes: 1000, maxTextBytes: 5000, context }),
    );
    const big = Buffer.from(`${'x'.repeat(200)}\n`.repeat(20)); // 4 kB: under the text limit, over the body limit
    const tooBig = await small.request('/v1/import?format=combined', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminKey}` },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    const bigGz = gzipSync(
      Buffer.from(Array.from({ length: 3000 }, (_, i) => `${i} ${'y'.repeat(i % 50)}`).join('\n')),
      { level: 0 },
    );
    // streamed without Content-Length: the limit is enforced while reading, gzip or not
    for (const body of [big, bigGz]) {
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < body.length; i += 500) controller.enqueue(body.subarray(i, i + 500));
          controller.close();
        },
      });
      const init = {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.adminKey}` },
        body: streamed,
        duplex: 'half',
      } as RequestInit;
      const res = await small.request('/v1/import?format=combined', init);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: expect.stringMatching(/body is larger than 1000 bytes/) });
    }
    const bomb = gzipSync(Buffer.alloc(100_000, 'a\n')); // small compressed, 100 kB of text
    const exploded = await small.request('/v1/import?format=combined', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminKey}` },
      body: bomb,
    });
    expect(exploded.status).toBe(413);
    expect(await exploded.json()).toMatchObject({ error: expect.stringMatching(/decompressed/) });
  });
});

describe('GET /openapi.json', () => {
  it('documents POST /v1/import with its formats and summary', async () => {
    const res = await ctx.app.request('/openapi.json');
    const doc = (await res.json()) as {
      paths: Record<
        string,
        { post?: { parameters?: Array<{ schema: { enum?: string[] } }>; responses: Record<string, unknown> } }
      >;
    };
    const post = doc.paths['/v1/import']?.post;
    expect(post?.parameters?.[0]?.schema.enum).toEqual(['aws-waf', 'alb', 'combined', 'guardduty', 'iplist']);
    expect(JSON.stringify(post?.responses['200'])).toContain('skippedByReason');
  });
});
