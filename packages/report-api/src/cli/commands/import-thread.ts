// The import thread's entry: runs `watchpost import` with the arguments it is given and reports back
// to the command's thread (`import-thread-start.ts`), which relays its output.
import { parentPort, workerData } from 'node:worker_threads';
import { type ImportThreadInput, runImportThread } from './import-thread-start.js';
import { importCommand } from './import.js';

const { argv } = workerData as ImportThreadInput;
await runImportThread(importCommand.run, argv, (message) => parentPort!.postMessage(message));
