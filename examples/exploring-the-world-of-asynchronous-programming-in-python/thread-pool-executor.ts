/**
 * `concurrent.futures.ThreadPoolExecutor`: a blocking function run on another thread.
 *
 * ```python
 * import concurrent.futures
 * import time
 *
 * def my_function():
 *     time.sleep(2)
 *     return 'done'
 *
 * with concurrent.futures.ThreadPoolExecutor() as executor:
 *     result = executor.submit(my_function)
 *     print(result.result())
 * ```
 *
 * Output:
 *
 * ```
 * done
 * ```
 *
 * A JavaScript function cannot move to another thread, so `my_function` lives in a worker
 * module (my-function.worker.ts) that serves it by name, and a `WorkerExecutor` runs it
 * there. `executor.submit()` then `result.result()` blocks the caller; the twin awaits
 * the call instead, so the loop stays free for other tasks during the 2 s. The `with`
 * block's exit is `shutdown()`, which waits for the call and stops the worker.
 *
 * The worker's 2 s are real time on its thread: virtual time, which only skips the
 * loop's own timers, cannot shorten them. The loop has no timer here, so its clock reads
 * 0 at the end under virtual time (as for the web server's real network I/O).
 */
import { type Coroutine, WorkerExecutor } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { typeScriptWorker } from "../lib/node-worker.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";
import type { functions } from "./my-function.worker.ts";

const WORKER = new URL("./my-function.worker.ts", import.meta.url);

export const example = coroutineExample({
  name: "thread-pool-executor",
  title: "A blocking function on a worker thread",
  article: article.slug,
  section: "concurrent.futures.ThreadPoolExecutor (my_function)",
  explanation: "my_function's blocking 2 s run on a worker thread (WorkerExecutor); the loop awaits the result. Real time: 2 s.",
  main: function* (): Coroutine<string> {
    const executor = new WorkerExecutor<typeof functions>(() => typeScriptWorker(WORKER));
    try {
      const result = yield* executor.call("myFunction");
      print(result);
      return result;
    } finally {
      yield* executor.shutdown();
    }
  },
});
