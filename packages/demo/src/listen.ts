import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts listening on 127.0.0.1 (port 0 picks a free one) and returns the base URL.
 *
 * @example
 * const url = await listenLocal(createServer(handler), 0); // 'http://127.0.0.1:40123'
 */
export function listenLocal(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/**
 * Stops a server: no new connections, idle keep-alive sockets closed, and after `graceMs` the
 * ones still busy too, so shutdown never hangs on a client.
 *
 * @example
 * await closeServer(server);
 */
export function closeServer(server: Server, graceMs = 2_000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
