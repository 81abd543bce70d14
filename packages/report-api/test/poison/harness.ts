import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer, serve, type ServerType } from '@hono/node-server';
import { createExampleApp as createExpressApp } from '@watchpost/example-express';
import { createExampleApp as createHonoApp } from '@watchpost/example-hono';
import type { WatchpostOptions } from '@watchpost/middleware/express';
import { createApp } from '../../src/app.js';
import { openSqliteStore } from '../../src/db/sqlite/open.js';
import type { CreatedSite, Store } from '../../src/db/store.js';

/** Where a test server listens. */
const listen = (server: Server | ServerType) =>
  new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });

const closeServer = (server: Server | ServerType) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * The report API as `watchpost serve` runs it (SQLite writer thread, real HTTP on loopback) on a
 * fresh file, with one site. `reopen()` closes the store and opens the file again, as a restart does.
 *
 * @example
 * const api = await startReportApi(); ...; await api.stop();
 */
export async function startReportApi() {
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-poison-'));
  const path = join(dir, 'watchpost.db');
  const errors: unknown[] = [];
  let store: Store = openSqliteStore({ path, writerThread: true });
  const created: CreatedSite = await store.createSite({ name: 'poisoned', timeZone: 'UTC', homeCountry: 'JP' });
  const server = serve({
    fetch: createApp({ store, logError: (error) => errors.push(error) }).fetch,
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let stopped = false;
  return {
    url,
    path,
    site: created,
    /** Errors the app logged as 500s: a poisoned request must not cause any. */
    errors,
    get store() {
      return store;
    },
    /** Stops the server and the store, then opens the same file again, as a restart would. */
    async reopen() {
      await closeServer(server);
      stopped = true;
      await store.close();
      store = openSqliteStore({ path });
      return store;
    },
    async stop() {
      if (!stopped) await closeServer(server);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The example Express and Hono apps behind the middleware, forwarding every event (sampleRate 1). */
export async function startExampleApps(reportApiUrl: string, ingestKey: string) {
  const watchpost: WatchpostOptions = {
    reportApi: { url: reportApiUrl, ingestKey, syncIntervalMs: 60_000 },
    trustedProxies: ['loopback'],
    sampleRate: 1,
    // The poison suite is about events, not bans: no client gets banned while it sends errors.
    bans: { threshold: 1_000_000, windowMs: 60_000, banMs: 1_000 },
  };
  const express = createExpressApp({ watchpost });
  const hono = createHonoApp({ watchpost });
  const servers = [createServer(express.app), createAdaptorServer({ fetch: hono.app.fetch })];
  const [expressUrl, honoUrl] = await Promise.all(servers.map((server) => listen(server)));
  return {
    urls: { express: expressUrl as string, hono: honoUrl as string },
    /** Stops both servers, then closes the middleware, which flushes every queued event. */
    async close() {
      await Promise.all(servers.map((server) => closeServer(server)));
      await Promise.all([express.protection?.close(), hono.protection?.close()]);
    },
  };
}

/**
 * Sends one HTTP/1.1 request written byte for byte (so header values can hold bytes that `fetch`
 * refuses to send, such as C1 controls) and answers its status, or 0 when the server refused the
 * request without an HTTP answer.
 *
 * @example
 * await rawRequest(url, 'GET', '/', { 'user-agent': Buffer.from([0x4d, 0x85]) });
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | Buffer>,
): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const host = 'host' in headers ? '' : `Host: ${hostname}:${port}\r\n`;
  const head: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\n${host}Connection: close\r\n`, 'latin1')];
  for (const [name, value] of Object.entries(headers)) {
    head.push(
      Buffer.from(`${name}: `, 'latin1'),
      typeof value === 'string' ? Buffer.from(value, 'latin1') : value,
      Buffer.from('\r\n'),
    );
  }
  head.push(Buffer.from('\r\n'));
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${method} ${path}`)));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', (error) => ((error as { code?: string }).code === 'ECONNRESET' ? resolve(0) : reject(error)));
    socket.write(Buffer.concat(head));
  });
}
