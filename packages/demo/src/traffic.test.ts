import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedClock } from './clock.js';
import type { PlannedRequest } from './scenario.js';
import { playTraffic } from './traffic.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  clockAt: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function recorder(
  clockNow: () => number,
  seen: Seen[],
  state = { inFlight: 0, maxInFlight: 0 },
): Promise<string> {
  const server = createServer((req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, clockAt: clockNow() });
      setTimeout(() => {
        state.inFlight--;
        res.statusCode = req.url === '/login' ? 401 : 200;
        res.end('ok');
      }, 2);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function planned(ts: number, patch: Partial<PlannedRequest> = {}): PlannedRequest {
  return {
    ts,
    app: 'express',
    method: 'GET',
    path: '/',
    ip: '126.10.1.2',
    ua: 'Mozilla/5.0 test',
    actor: 'browser',
    ...patch,
  };
}

describe('playTraffic', () => {
  it('sends each request to its app with the client address, user agent, host and body', async () => {
    const clock = createSimulatedClock(1_000);
    const express: Seen[] = [];
    const hono: Seen[] = [];
    const targets = { express: await recorder(clock.now, express), hono: await recorder(clock.now, hono) };
    const result = await playTraffic({
      clock,
      targets,
      host: 'shop.example.jp',
      concurrency: 1,
      requests: [
        planned(2_000),
        planned(3_000, { app: 'hono', path: '/products/3', ip: '24.10.9.9', ua: 'Googlebot' }),
        planned(4_000, { method: 'POST', path: '/login', body: '{"username":"a"}', actor: 'credential-stuffing' }),
      ],
    });
    expect(result).toMatchObject({ sent: 3, failed: 0, statuses: { 200: 2, 401: 1 } });
    expect(result.byActor).toEqual({ browser: { 200: 2 }, 'credential-stuffing': { 401: 1 } });
    expect(express.map((s) => [s.method, s.url, s.headers['x-forwarded-for'], s.body])).toEqual([
      ['GET', '/', '126.10.1.2', ''],
      ['POST', '/login', '126.10.1.2', '{"username":"a"}'],
    ]);
    expect(hono[0]).toMatchObject({
      url: '/products/3',
      headers: { 'x-forwarded-for': '24.10.9.9', 'user-agent': 'Googlebot', host: 'shop.example.jp' },
    });
    // With one request in flight the apps see exactly the planned time.
    expect([...express, ...hono].map((s) => s.clockAt).sort()).toEqual([2_000, 3_000, 4_000]);
  });

  it('keeps at most `concurrency` requests in flight and never moves the clock back', async () => {
    const clock = createSimulatedClock(0);
    const seen: Seen[] = [];
    const state = { inFlight: 0, maxInFlight: 0 };
    const url = await recorder(clock.now, seen, state);
    const requests = Array.from({ length: 60 }, (_, i) => planned(1_000 + i * 10));
    const progress: number[] = [];
    const result = await playTraffic({
      clock,
      targets: { express: url, hono: url },
      requests,
      concurrency: 4,
      progressEvery: 25,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result.sent).toBe(60);
    expect(state.maxInFlight).toBeLessThanOrEqual(4);
    expect(state.maxInFlight).toBeGreaterThan(1);
    expect(clock.now()).toBe(1_590);
    expect(progress).toEqual([25, 50, 60]);
  });

  it('counts requests that get no answer as failed instead of throwing', async () => {
    const clock = createSimulatedClock(0);
    const result = await playTraffic({
      clock,
      targets: { express: 'http://127.0.0.1:1', hono: 'http://127.0.0.1:1' },
      requests: [planned(1), planned(2)],
    });
    expect(result).toMatchObject({ sent: 2, failed: 2, statuses: {} });
  });

  it('stops sending when aborted', async () => {
    const clock = createSimulatedClock(0);
    const seen: Seen[] = [];
    const url = await recorder(clock.now, seen);
    const controller = new AbortController();
    const result = await playTraffic({
      clock,
      targets: { express: url, hono: url },
      concurrency: 1,
      signal: controller.signal,
      progressEvery: 5,
      requests: Array.from({ length: 50 }, (_, i) => planned(i + 1)),
      onProgress: (p) => {
        if (p.done === 5) controller.abort();
      },
    });
    expect(result.sent).toBe(5);
    expect(seen).toHaveLength(5);
  });

  it('rejects a concurrency of zero', async () => {
    await expect(
      playTraffic({
        clock: createSimulatedClock(0),
        targets: { express: 'http://127.0.0.1:1', hono: 'http://127.0.0.1:1' },
        requests: [],
        concurrency: 0,
      }),
    ).rejects.toThrow(TypeError);
  });
});
