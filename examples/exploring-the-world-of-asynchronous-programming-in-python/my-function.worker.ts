// The worker of thread-pool-executor.ts: the article's my_function, on a thread of its own.
import { parentPort } from "node:worker_threads";
import { serveExecutor } from "../../src/index.ts";

export const functions = {
  /** `time.sleep(2)`: blocks this worker's thread, not the loop's. */
  myFunction(): string {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    return "done";
  },
};

serveExecutor(functions, parentPort!);
