// Entry of the SQLite writer thread (started by `startWriter` in writer.ts, never imported). It
// owns a connection of its own to the database file and does all event writing: group commits of
// raw events with their rollup backlog ranges, the rollups the serving thread aggregated, and the
// retention purge. The serving thread parses, validates and aggregates, so ingest uses two cores.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { configureConnection } from './connection.js';
import { sqliteEventStore } from './events.js';
import { rollupFlush } from './rollup-writer.js';
import { siteZones } from './site-zones.js';
import type { EventBatch } from '@watchpost/middleware/protocol';
import { type WriterHello, type WriterReply, type WriterRequest, type WriterSettings } from './writer-protocol.js';

const settings = workerData as WriterSettings;
const port = parentPort!;

const errorOf = (error: unknown) => {
  const { name, message, code } =
    error instanceof Error
      ? (error as Error & { code?: string })
      : { name: 'Error', message: String(error), code: undefined };
  return { name, message, code: typeof code === 'string' ? code : undefined };
};
const reply = (id: number, value: unknown) => port.postMessage({ id, value } satisfies WriterReply);
const replyError = (id: number, error: unknown) =>
  port.postMessage({ id, error: errorOf(error) } satisfies WriterReply);

function start() {
  const db = new Database(settings.path, { timeout: 5000 });
  try {
    configureConnection(db);
    // Only the backlog is kept here (a range per batch, in its savepoint): the serving thread
    // aggregates the batches it is told are stored and sends the rollups back to be written.
    const events = sqliteEventStore(db, siteZones(db), Date.now, { ...settings.options, holdRollups: false });
    return { db, events, owner: events.backlogOwner, onRollups: rollupFlush(db) };
  } catch (error) {
    db.close();
    throw error;
  }
}

let writer: ReturnType<typeof start> | null = null;
let stopped: unknown = null;
try {
  writer = start();
  port.postMessage({ hello: true, owner: writer.owner } satisfies WriterHello);
} catch (error) {
  stopped = error;
  port.postMessage({ hello: true, error: errorOf(error) } satisfies WriterHello);
}

port.on('message', (request: WriterRequest) => {
  const { id } = request;
  if (!writer) return replyError(id, stopped);
  const { db, events, onRollups } = writer;
  try {
    switch (request.op) {
      case 'ingest': {
        // Validated on the serving thread: this is the text of the events it accepted (checked again
        // inside the batch's savepoint by assertStorable).
        events
          .ingestBatchAt(request.siteId, JSON.parse(request.json) as EventBatch, request.receivedAt, request.rejected)
          .then(
            (value) => reply(id, value),
            (error: unknown) => replyError(id, error),
          );
        return;
      }
      case 'rollups':
        onRollups(request.aggregates, request.backlogIds);
        return reply(id, null);
      case 'drain':
        events.flushPending();
        // After the replies of the batches just written (they are posted from promise callbacks).
        setImmediate(() => reply(id, null));
        return;
      case 'purge':
        events.purgeBefore(request.before).then(
          (value) => reply(id, value),
          (error: unknown) => replyError(id, error),
        );
        return;
      case 'close':
        try {
          events.flushPending();
          events.closeRollups();
        } finally {
          db.close();
          writer = null;
          stopped = new Error('the database writer is closed');
        }
        setImmediate(() => reply(id, null));
        return;
    }
  } catch (error) {
    replyError(id, error);
  }
});
