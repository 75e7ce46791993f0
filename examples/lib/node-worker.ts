import { Worker } from "node:worker_threads";

const TS_BOOT = new URL("./ts-worker.mjs", import.meta.url);

/**
 * A `node:worker_threads` Worker that runs the TypeScript module `module`. Bun runs it
 * as it is; Node 20 gives a worker neither type stripping nor the parent's `--import`,
 * so the worker starts in ts-worker.mjs, which registers tsx and then imports `module`.
 */
export function typeScriptWorker(module: URL): Worker {
  if ("Bun" in globalThis) return new Worker(module);
  return new Worker(TS_BOOT, { workerData: { module: module.href } });
}
