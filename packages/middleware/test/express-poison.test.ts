import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { watchpost } from '../src/express/index.js';
import { batchSchema } from '../src/protocol/index.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

/** A GET whose User-Agent goes out byte for byte (Node writes header strings as latin1). */
function get(base: string, ua: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { headers: { 'user-agent': ua } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Express app receiving a poisoned User-Agent', () => {
  it('a C1 byte (0x85) in one User-Agent does not cost the other events of its batch', async () => {
    // A strict report API: a batch with one event it cannot accept is refused whole (400), as
    // round 1 did; control characters are refused as the tightened event schema refuses them.
    const received: Array<{ ua: string }> = [];
    const refused: number[] = [];
    const api = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url !== '/v1/events') return void res.writeHead(404).end();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: Array<Record<string, unknown>> };
        const clean = body.events.every((e) =>
          Object.values(e).every((v) => typeof v !== 'string' || !CONTROL.test(v)),
        );
        if (!batchSchema.safeParse(body).success || !clean) {
          refused.push(body.events.length);
          return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid batch"}');
        }
        received.push(...(body.events as Array<{ ua: string }>));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () =>
        new Promise((r) => {
          api.closeAllConnections();
          api.close(r);
        }),
    });
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

    const guard = watchpost({
      geo: false,
      onError: () => {},
      sampleRate: 1,
      reportApi: {
        url: apiUrl,
        ingestKey: 'wpi_e2e',
        syncIntervalMs: 60_000,
        forwarder: { gzip: false, flushIntervalMs: 0 },
      },
    });
    const app = express()
      .use(guard)
      .get('/', (_req, res) => void res.send('ok'));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    open.push({
      close: () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        }),
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await get(base, 'curl/8\x85evil')).toBe(200);
    for (let i = 0; i < 20; i++) expect(await get(base, `Mozilla/5.0 n${i}`)).toBe(200);
    await guard.close();

    expect(refused).toEqual([]);
    const uas = received.map((e) => e.ua);
    expect(uas).toHaveLength(21);
    expect(uas[0]).toBe('curl/8\uFFFDevil');
  });
});
