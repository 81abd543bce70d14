import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { IngestResult } from '../store.js';
import { startWorker } from '../../threads/start.js';
import type { StoredBatch } from './events.js';
import { flushSettings, heldRollups, markOwnerClosed } from './rollup-buffer.js';
import { type WriterHello, type WriterReply, type WriterRequest, type WriterSettings } from './writer-protocol.js';

/** Options of `startWriter`. */
export interface WriterOptions extends WriterSettings {
  /** The local-day mapper of a site (null for an unknown site): rollups are aggregated on this thread. */
  localDayOfSite: (siteId: string) => ((ms: number) => string) | null;
  /** Events whose rollups may wait in memory before they are sent to be written (`flushSettings`). */
  flushEvents?: number;
  /** Longest time rollups wait in memory, in ms (`flushSettings`). */
  flushMs?: number;
  /** Called once if the thread fails or exits before `close()`; from then on every request rejects. Default: log it. */
  onFailure?: (error: Error) => void;
}

/** The SQLite writer thread, seen from the thread that serves requests. */
export interface Writer {
  /** Stores a batch once (group commit on the writer thread); settles after its COMMIT. */
  ingestBatchAt(
    siteId: string,
    batch: EventBatch,
    receivedAt: number,
    json?: string,
    rejected?: number,
    rollupEvents?: readonly WatchpostEvent[],
  ): Promise<IngestResult>;
  /** Writes the rollups waiting in memory, so a read sees every stored batch; logs a failure, never rejects. */
  flushForRead(): Promise<void>;
  /** The retention purge, on the writer's connection, after the rollups waiting here are written. */
  purgeBefore(before: number): Promise<{ events: number }>;
  /** Writes what is waiting (batches, then rollups), closes the writer's connection and ends the thread. */
  close(): Promise<void>;
}

const logFailure = (error: Error) =>
  console.error('watchpost: no events can be written until the process restarts:', error);

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts the writer thread on a migrated database file. The thread inserts raw events (group
 * commit) and records, per batch, the id range its rollups still owe; this thread aggregates each
 * stored batch and sends the rollups with those backlog rows every `flushMs` or `flushEvents`, to
 * be written and the rows deleted in one transaction (a crash in between is recovered from the raw
 * events, as with the inline store). Requests sent before the thread is up wait in its queue; if it
 * cannot open the database, every request rejects with that error. The thread keeps the process
 * alive only while a request is in flight.
 *
 * @example
 * const writer = startWriter({ path: 'watchpost.db', options: {}, localDayOfSite: () => localDayOf('UTC') });
 * await writer.ingestBatchAt(siteId, batch, Date.now());
 * await writer.close();
 */
export function startWriter({
  localDayOfSite,
  flushEvents: events,
  flushMs: ms,
  onFailure = logFailure,
  ...settings
}: WriterOptions): Writer {
  const { flushEvents, flushMs } = flushSettings({ flushEvents: events, flushMs: ms });
  const worker = startWorker(import.meta.url, 'writer-thread', settings);
  worker.unref();
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  let owner: string | null = null;
  let closing = false;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    worker.unref();
  };
  const toError = (e: { name: string; message: string; code: string | undefined }) =>
    Object.assign(new Error(e.message), { name: e.name }, e.code === undefined ? {} : { code: e.code });
  // After a failure nothing is stored half: batches in flight reject (their senders retry, batch ids
  // keep that idempotent), and the rollups held here are rebuilt from the raw events by the next open.
  const fail = (error: Error) => {
    const first = failure === null && !closing;
    failAll(error);
    if (first) onFailure(error);
  };
  worker.on('message', (message: WriterReply | WriterHello) => {
    if ('hello' in message) {
      if ('owner' in message) owner = message.owner;
      else fail(toError(message.error));
      return;
    }
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (waiting.size === 0) worker.unref();
    if (message.error === undefined) entry.resolve(message.value);
    else entry.reject(toError(message.error));
  });
  worker.on('error', (error) =>
    fail(new Error(`the database writer thread failed: ${error.message}`, { cause: error })),
  );
  worker.on('exit', (code) => {
    if (owner) markOwnerClosed(owner);
    fail(new Error(`the database writer thread has stopped (exit code ${code})`));
  });

  function call<T>(request: Request): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (waiting.size === 1) worker.ref();
      worker.postMessage({ ...request, id } as WriterRequest);
    });
  }

  // Rollups of stored batches, aggregated here, waiting to be sent with their backlog rows.
  const held = heldRollups();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The last flush sent: the thread handles messages in order, so once it is answered every earlier one is too.
  let lastFlush: Promise<void> = Promise.resolve();

  /** Sends the rollups waiting here; settles when they (and any sent before) are written. */
  function flushRollups(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const taken = held.take();
    if (taken === null) return lastFlush.catch(() => undefined);
    // On failure they go out again, first, with the next flush.
    lastFlush = call<void>({ op: 'rollups', ...taken }).catch((error: unknown) => {
      held.putBack(taken);
      arm();
      throw error;
    });
    return lastFlush;
  }
  const logged = (error: unknown) => console.error('watchpost: rollup flush failed, retrying:', error);
  function arm(): void {
    if (timer === null && failure === null)
      (timer = setTimeout(() => void flushRollups().catch(logged), flushMs)).unref();
  }

  return {
    async ingestBatchAt(siteId, batch, receivedAt, json = JSON.stringify(batch), rejected = 0, rollupEvents) {
      const localDay = localDayOfSite(siteId);
      if (localDay === null) throw new Error(`unknown site ${siteId}`);
      const { accepted, duplicate, backlogId } = await call<StoredBatch>({
        op: 'ingest',
        siteId,
        receivedAt,
        json,
        rejected,
      });
      // A sampled import may store no raw event of a batch and still owe the rollups of all of them.
      if (!duplicate && (accepted > 0 || (rollupEvents?.length ?? 0) > 0)) {
        try {
          held.add(siteId, rollupEvents ?? batch.events, localDay, backlogId);
        } catch (error) {
          // Committed on the thread (its assertStorable makes this unreachable): the backlog row
          // stays, so the next open rebuilds these rollups or skips and reports what it cannot take.
          console.error('watchpost: rollups of a stored batch failed; left to recovery:', error);
          return { accepted, duplicate };
        }
        if (held.events >= flushEvents) void flushRollups().catch(logged);
        else arm();
      }
      return { accepted, duplicate };
    },
    flushForRead: () => flushRollups().catch(logged),
    async purgeBefore(before) {
      await flushRollups();
      return call({ op: 'purge', before });
    },
    async close() {
      closing = true;
      if (failure) return void (await worker.terminate());
      await call({ op: 'drain' });
      try {
        await flushRollups();
      } finally {
        await call({ op: 'close' });
        await worker.terminate();
      }
    },
  };
}
