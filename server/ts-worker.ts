/**
 * Worker threads running TypeScript entries. The server runs from TypeScript sources under tsx,
 * whose loader a worker thread does not inherit on Node 20, so the worker registers it before
 * importing its entry. Workers are unref'd: an idle pool never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';

/** Starts a worker thread running the TypeScript module at `entry`. */
export function startTsWorker(entry: URL): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  const worker = new Worker(boot, { eval: true });
  worker.unref();
  return worker;
}
