// Messages between the thread that serves requests and the SQLite writer thread (writer.ts,
// writer-thread.ts). A batch crosses as its validated JSON text (a string copy, then JSON.parse: about
// a third of the cost of a structured clone of 1,000 objects); rollups cross in their flat form
// (`packAggregate`: arrays of plain values clone far faster than maps of row objects).
import type { PackedAggregate } from '../aggregate.js';

/** What the writer thread is started with (plain data: it crosses threads). */
export interface WriterSettings {
  path: string;
  options: { maxGroupEvents?: number; groupWaitMs?: number };
}

export type WriterRequest =
  | { id: number; op: 'ingest'; siteId: string; receivedAt: number; json: string; rejected: number }
  | { id: number; op: 'rollups'; aggregates: PackedAggregate[]; backlogIds: number[] }
  | { id: number; op: 'drain' }
  | { id: number; op: 'purge'; before: number }
  | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; value: unknown; error?: undefined }
  | { id: number; error: { name: string; message: string; code: string | undefined } };

/** First message of the thread: the owner its rollup backlog rows carry, or why it could not start. */
export type WriterHello =
  { hello: true; owner: string } | { hello: true; error: { name: string; message: string; code: string | undefined } };
