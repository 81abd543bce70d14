// The origin of the end-to-end test: node:http on 127.0.0.1 with an ephemeral port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    if (request.url === '/redirect') {
      response.writeHead(302, { location: '/elsewhere' }).end();
      return;
    }
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
