// The parse thread of `importFilesOnThread` (thread.ts): reads, gunzips, hashes and parses the
// files with `importFiles`, and sends each batch to the main thread, which stores it and answers.
import { parentPort, workerData } from 'node:worker_threads';
import { loadGeoLookup } from '@watchpost/middleware/node';
import type { EventBatch } from '@watchpost/middleware/protocol';
import { createParseContext } from './context.js';
import { importFiles, type IngestOutcome } from './stream.js';
import type { ParseThreadInput, ParseThreadMessage, ParseThreadReply } from './thread.js';

const port = parentPort!;
const input = workerData as ParseThreadInput;
const post = (message: ParseThreadMessage) => port.postMessage(message);

const waiting = new Map<number, { resolve: (outcome: IngestOutcome) => void; reject: (error: Error) => void }>();
let nextId = 0;
port.on('message', (reply: ParseThreadReply) => {
  const pending = waiting.get(reply.id);
  if (pending === undefined) return;
  waiting.delete(reply.id);
  if ('error' in reply) pending.reject(new Error(reply.error));
  else pending.resolve(reply.outcome);
});

const ingest = (_siteId: string, batch: EventBatch) =>
  new Promise<IngestOutcome>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    post({ type: 'batch', id, batch });
  });

const geo = loadGeoLookup({ warn: (message) => post({ type: 'warn', message }) });
try {
  const summary = await importFiles(input.paths, {
    siteId: input.siteId,
    format: input.format,
    loginPaths: input.loginPaths,
    batchLines: input.batchLines,
    maxLineBytes: input.maxLineBytes,
    context: createParseContext({ lookupCountry: (ip) => geo(ip) }),
    ingest,
    onProgress: (summary, bytes) => post({ type: 'progress', summary, bytes }),
  });
  post({ type: 'done', summary });
} catch (error) {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  post({ type: 'failed', name, message });
}
