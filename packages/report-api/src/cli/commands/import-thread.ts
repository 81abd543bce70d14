// The import thread: runs `watchpost import` with the arguments it is given and reports back to the
// command's thread (`import-thread-start.ts`), which relays its output.
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from '../args.js';
import type { ImportThreadInput, ImportThreadMessage } from './import-thread-start.js';
import { importCommand } from './import.js';

const { argv } = workerData as ImportThreadInput;
const post = (message: ImportThreadMessage) => parentPort!.postMessage(message);
try {
  const code = await importCommand.run(argv, {
    out: (text) => post({ type: 'out', text }),
    err: (text) => post({ type: 'err', text }),
  });
  post({ type: 'done', code });
} catch (error) {
  const usage = error instanceof UsageError;
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  post({ type: 'failed', usage, name, message });
}
