/**
 * The child process of the throughput benchmark: the app servers (Express, and Hono on
 * @hono/node-server; each bare, with an empty middleware and with Watchpost, Express also with
 * Watchpost wrapping the app at the server (`guard.wrap(app)`) and Hono with Watchpost as a fetch
 * wrapper, instead of a middleware), all on 127.0.0.1 and
 * ephemeral ports, and the fake report API in a grandchild process. Prints one JSON line with
 * the URLs, then serves until killed.
 * Diagnosis knobs: DROP=deny,geo,api,sample,gzip,sync,forward,post,incoming removes those features (post:
 * batches are gzipped but not sent, a stub answers 202; incoming:
 * a fixed socketIp instead of reading node-server's socket) from the Watchpost
 * variants; ONLY_HONO=1 skips the Express servers; ONLY=regex starts only the servers whose names match
 * (each Watchpost server holds its own engine and 100k-entry deny list, which the others then run beside).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { watchpost as expressWatchpost } from '../src/express/index.js';
import { watchpost as honoWatchpost, watchpostFetch } from '../src/hono/index.js';
import { loadGeoLookup } from '../src/node/index.js';
import type { WatchpostOptions } from '../src/core/runtime.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { denyEntries } from './fixtures.js';

// The fake report API runs in its own process: its work is not the app's.
const sinkProcess = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./sink-process.ts', import.meta.url))],
  {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
const api = {
  url: await new Promise<string>((resolve) => createInterface({ input: sinkProcess.stdout! }).once('line', resolve)),
};
process.on('exit', () => sinkProcess.kill());
process.on('SIGTERM', () => process.exit(0));
const denyList = denyEntries(100_000);
const geo = loadGeoLookup();
geo.load();
const drop = (process.env.DROP ?? '').split(',');
const common: WatchpostOptions = {
  denyList: drop.includes('deny') ? [] : denyList,
  sampleRate: drop.includes('sample') ? 1e-9 : 0.1,
  geo: drop.includes('geo') ? false : geo,
  ...(drop.includes('api')
    ? {}
    : {
        reportApi: {
          ...(drop.includes('post')
            ? {
                fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
                  init?.method === 'POST'
                    ? Promise.resolve(new Response(null, { status: 202 }))
                    : fetch(input, init)) as typeof fetch,
              }
            : {}),
          url: api.url,
          ingestKey: 'wpi_bench',
          syncIntervalMs: drop.includes('sync') ? 3_600_000 : 1_000,
          forwarder: { flushIntervalMs: 1_000, gzip: !drop.includes('gzip') },
        },
      }),
  ...(drop.includes('forward') ? { sink: { push() {}, flush: async () => {}, close: async () => {} } } : {}),
};

function listenExpress(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}
// Watchpost in front of the whole app at the server (`guard.wrap(app)`), outside Express's router.
function listenWrapped(app: express.Express): Promise<string> {
  const server = createServer(expressWatchpost(common).wrap(app));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}
function listenHono(fetch: Hono['fetch']): Promise<string> {
  return new Promise((resolve) =>
    serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`)),
  );
}

function expressApp(guarded: boolean | 'empty'): express.Express {
  const app = express();
  // An empty middleware shows what any middleware layer costs in Express's router.
  if (guarded === 'empty')
    app.use(function empty(_req, _res, next) {
      next();
    });
  else if (guarded) app.use(expressWatchpost(common));
  app.get('/products/:id', (req, res) => void res.json({ id: req.params.id, name: 'teapot', price: 12 }));
  return app;
}
const honoCommon = drop.includes('incoming') ? { ...common, socketIp: () => '127.0.0.1' } : common;
function honoApp(guarded: boolean | 'empty' | 'fetch'): Hono['fetch'] {
  const app = new Hono();
  // An empty middleware shows what any middleware costs in Hono (it leaves the one-handler fast path).
  if (guarded === 'empty')
    app.use(async function empty(_c, next) {
      await next();
    });
  else if (guarded === true) app.use(honoWatchpost(honoCommon));
  app.get('/products/:id', (c) => c.json({ id: c.req.param('id'), name: 'teapot', price: 12 }));
  // The fetch wrapper leaves the app as bare as the first one.
  return guarded === 'fetch' ? watchpostFetch(app.fetch, honoCommon) : app.fetch;
}

const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
const builders: Record<string, () => Promise<string>> = {
  ...(process.env.ONLY_HONO
    ? {}
    : {
        'express bare': () => listenExpress(expressApp(false)),
        'express + empty middleware': () => listenExpress(expressApp('empty')),
        'express + watchpost': () => listenExpress(expressApp(true)),
        'express + watchpost (server wrapper)': () => listenWrapped(expressApp(false)),
      }),
  'hono bare': () => listenHono(honoApp(false)),
  'hono + empty middleware': () => listenHono(honoApp('empty')),
  'hono + watchpost': () => listenHono(honoApp(true)),
  'hono + watchpost (fetch wrapper)': () => listenHono(honoApp('fetch')),
};
const urls: Record<string, string> = {};
for (const [name, build] of Object.entries(builders)) if (only === null || only.test(name)) urls[name] = await build();
process.stdout.write(`${JSON.stringify(urls)}\n`);
// The parent ends this process when it is done; never outlive it by more than ten minutes.
setTimeout(() => process.exit(0), 600_000).unref();
process.on('disconnect', () => process.exit(0));
// The parent asks for this process's CPU time around each run: CPU per request is steadier than
// requests per second on a machine shared with other work.
process.on('message', (message) => {
  if (message === 'cpu') process.send?.(process.cpuUsage());
});
