// Child process of bench/ingest.ts: serves createApp on 127.0.0.1:0 and prints the port.
// Usage: tsx bench/server.ts DB_PATH fast|inline|naive, or tsx bench/server.ts POSTGRES_URL?schema=NAME postgres
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.js';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { Store } from '../src/db/store.js';
import { naiveStore } from './naive-store.js';

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'fast' && mode !== 'inline' && mode !== 'naive' && mode !== 'postgres'))
  throw new TypeError('usage: server.ts DB_PATH fast|inline|naive, or server.ts POSTGRES_URL?schema=NAME postgres');
let opened: Store;
let store: Store;
if (mode === 'postgres') {
  const url = new URL(path);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  store = opened = await openPostgresStore({ url: url.toString(), schema });
} else {
  // fast: as `watchpost serve` opens it (events written on a writer thread); inline: the same store
  // writing on the serving thread; naive: one INSERT per event on the serving thread.
  const sqlite = openSqliteStore({ path, writerThread: mode === 'fast' });
  opened = sqlite;
  store = mode === 'naive' ? naiveStore(sqlite) : sqlite;
}
const server = serve({ fetch: createApp({ store }).fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`PORT ${info.port}\n`);
});
// The parent asks for this process's CPU time around the measured part (`cpu` on stdin): CPU per
// event is steadier than events/s on a machine shared with other work.
process.stdin.on('data', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`CPU ${user + system}\n`);
});
process.on('SIGTERM', () => server.close(() => void opened.close().then(() => process.exit(0))));
