/**
 * The fake report API of the throughput benchmark, in a process of its own (as the real one
 * would be): accepts `POST /v1/events`, answers `GET /v1/denylist` with an empty list and then
 * 304. Prints its URL, then serves until its parent goes away.
 */
import { startSinkServer } from '../test/sink-server.js';

const api = await startSinkServer(
  (req, res) => {
    // Held polls (`?wait=`) are answered at once: 304 without `watchpost-wait`, as a server without long polls would.
    if (req.url?.split('?')[0] !== '/v1/denylist') return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end('{"version":"v1","entries":[]}');
  },
  { record: false },
);
process.stdout.write(`${api.url}\n`);
setTimeout(() => process.exit(0), 600_000).unref();
process.on('disconnect', () => process.exit(0));
