import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker whose entry is the module `name` next to `besideUrl` (a module's
 * `import.meta.url`). From dist it runs `name.js`. From source (tsx, vitest) it runs `name.ts`,
 * loaded through tsx's hooks, registered inside the thread first: Node 20 does not apply `--import`
 * hooks to a worker's entry module.
 *
 * @example
 * const worker = startWorker(import.meta.url, 'writer-thread', settings);
 */
export function startWorker(
  besideUrl: string,
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const fromSource = besideUrl.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, besideUrl);
  if (!fromSource) return new Worker(entry, { workerData, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot =
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return ` +
    `import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
