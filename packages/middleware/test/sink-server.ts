import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { EventBatch } from '../src/protocol/index.js';

/** How the fake report API answers the next POSTs. */
export type SinkBehaviour = 'ok' | 'fail' | 'hang';

/** A real local HTTP server that plays the report API's `POST /v1/events` (and, if given, `GET /v1/denylist`). */
export interface SinkServer {
  url: string;
  behaviour: SinkBehaviour;
  /** Every batch body that reached the server, decoded, in order (also failed and hung ones). */
  received: Array<{
    batch: EventBatch;
    encoding: string | undefined;
    authorization: string | undefined;
    answered: SinkBehaviour;
  }>;
  server: Server;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts the fake report API on 127.0.0.1 and an ephemeral port.
 *
 * @example
 * const sink = await startSinkServer(); sink.behaviour = 'fail'; ... await sink.close();
 */
export async function startSinkServer(
  onOther?: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
  { record = true }: { record?: boolean } = {},
): Promise<SinkServer> {
  const sink = { behaviour: 'ok', received: [] } as unknown as SinkServer;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/events') {
      if (onOther) return onOther(req, res);
      res.statusCode = 404;
      return res.end();
    }
    const behaviour = sink.behaviour;
    const raw = await readBody(req);
    if (record) {
      const encoding = req.headers['content-encoding'];
      const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      sink.received.push({
        batch: JSON.parse(text) as EventBatch,
        encoding,
        authorization: req.headers.authorization,
        answered: behaviour,
      });
    }
    if (behaviour === 'hang') return; // never answers; the client must time out
    res.statusCode = behaviour === 'ok' ? 200 : 500;
    res.setHeader('content-type', 'application/json');
    res.end(behaviour === 'ok' ? '{"ok":true}' : '{"error":"boom"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.server = server;
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}
