// Local peers of the end-to-end test: an origin and a report API stub, both node:http on 127.0.0.1
// with ephemeral ports.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An origin that echoes what it received and sets headers a proxy must not touch. */
export function startOrigin() {
  const seen: Recorded[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    const status = request.url?.startsWith('/teapot') ? 418 : 200;
    response.writeHead(status, {
      'content-type': 'application/x-origin',
      'x-origin-header': 'kept',
      'set-cookie': 'session=abc123; HttpOnly; Path=/',
      'cache-control': 'private, max-age=7',
    });
    response.end(`origin ${request.method} ${request.url} host=${request.headers.host} body=${body.toString()}`);
  });
  return { server, seen };
}

/** A report API stub: records `POST /v1/events` (gzip or not), serves `GET /v1/denylist` with an ETag. */
export function startReportApiStub({ ingestKey, denied }: { ingestKey: string; denied: string[] }) {
  const batches: { batchId: string; source: string; events: Record<string, unknown>[] }[] = [];
  const denyListRequests: Recorded[] = [];
  const version = 'e2e-1';
  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    if (request.headers.authorization !== `Bearer ${ingestKey}`) {
      response.writeHead(401).end();
      return;
    }
    if (request.method === 'POST' && request.url === '/v1/events') {
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      batches.push(JSON.parse(text));
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      return;
    }
    if (request.method === 'GET' && request.url === '/v1/denylist') {
      denyListRequests.push({ method: 'GET', url: request.url, headers: request.headers, body: raw });
      const etag = `"${version}"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      const entries = denied.map((value, i) => ({
        id: `d_${i}`, value, reason: 'e2e', source: 'manual', createdAt: 1, expiresAt: null,
      }));
      response.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify({ version, entries }));
      return;
    }
    response.writeHead(404).end();
  });
  return { server, batches, denyListRequests, events: () => batches.flatMap((batch) => batch.events) };
}
