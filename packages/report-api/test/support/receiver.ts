import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one request: answer with a status, or never answer. */
export type ReceiverBehaviour = number | 'hang';

/** A request the receiver got. `body` is parsed JSON (or the raw text when it was not JSON). */
export interface ReceivedMessage {
  at: number;
  status: ReceiverBehaviour;
  body: unknown;
}

/**
 * A real HTTP webhook receiver on 127.0.0.1 and an ephemeral port, for tests. Each
 * request takes the next behaviour from `script` (then `fallback`), so "500, 500, then 200" or
 * "hang forever" are one line.
 *
 * @example
 * const receiver = await startReceiver({ script: [500, 500], fallback: 200 });
 * // POST to receiver.url ... then:
 * await receiver.waitFor(3);
 * await receiver.close();
 */
export async function startReceiver({
  script = [],
  fallback = 200,
}: { script?: ReceiverBehaviour[]; fallback?: ReceiverBehaviour } = {}) {
  const messages: ReceivedMessage[] = [];
  const queue = [...script];
  let waiters: Array<() => void> = [];

  const server = createServer(function webhookReceiver(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text: the test will say what was wrong with it
      }
      const status = queue.length > 0 ? queue.shift()! : fallback;
      messages.push({ at: Date.now(), status, body });
      for (const wake of waiters) wake();
      waiters = [];
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${base}/hook`,
    messages,
    /** Resolves once `count` requests arrived; rejects after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedMessage[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`receiver got ${messages.length} of ${count} expected messages in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages;
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The receiver returned by {@link startReceiver}. */
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
