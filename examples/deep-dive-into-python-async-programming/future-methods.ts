/**
 * "Futures: Representing the Result of Asynchronous Operations" and the list of Task
 * methods before it. The article has no code here, only lists of methods; this example
 * (not the article's) calls each one, and corrects two of the article's claims:
 *
 * - "future.result() (blocks until done if pending ...)": it never blocks. On a pending
 *   future it raises InvalidStateError at once; to wait, you `await` the future. (The
 *   blocking `result()` is concurrent.futures', whose futures also have the "Running"
 *   state the article lists; asyncio futures are pending, done or cancelled.)
 * - Tasks "are actually a subclass of Futures": true, shown by the last line.
 *
 * ```python
 * async def fail():
 *     raise ValueError("bad input")
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     future = loop.create_future()
 *     print("future.done():", future.done())
 *     try:
 *         future.result()
 *     except asyncio.InvalidStateError as error:
 *         print("future.result() while pending raises InvalidStateError:", error)
 *     future.add_done_callback(lambda f: print("callback: done() is", f.done(), "and result() is", f.result()))
 *     loop.call_later(1, future.set_result, 42)
 *     print("await future:", await future)
 *
 *     task = asyncio.create_task(asyncio.sleep(10))
 *     await asyncio.sleep(0)  # let it start sleeping
 *     print("task.done():", task.done(), "task.cancel():", task.cancel())
 *     try:
 *         await task
 *     except asyncio.CancelledError:
 *         print("task.cancelled():", task.cancelled())
 *
 *     failing = asyncio.create_task(fail())
 *     await asyncio.wait([failing])
 *     print("failing.exception():", repr(failing.exception()))
 *     print("a Task is a Future:", isinstance(failing, asyncio.Future))
 * ```
 *
 * Output:
 *
 * ```
 * future.done(): False
 * future.result() while pending raises InvalidStateError: Result is not set.
 * callback: done() is True and result() is 42
 * await future: 42
 * task.done(): False task.cancel(): True
 * task.cancelled(): True
 * failing.exception(): ValueError('bad input')
 * a Task is a Future: True
 * ```
 *
 * The done callback runs before main resumes: it was registered first, and a future's
 * callbacks (a waiting task is one) run in registration order. Total time: exactly
 * 1,000 ms (the call_later); the cancelled task's 10 s sleep never ends.
 */
import {
  CancelledError,
  type Coroutine,
  createTask,
  Future,
  getRunningLoop,
  InvalidStateError,
  sleep,
  ValueError,
  wait,
} from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print, repr } from "../lib/py.ts";
import { article } from "./article.ts";

export function* fail(): Coroutine<never> {
  throw new ValueError("bad input");
}

export const example = coroutineExample({
  name: "future-methods",
  title: "Future and Task methods (an illustration; no code in the article)",
  article: article.slug,
  section: "Futures: Representing the Result of Asynchronous Operations",
  explanation: "result() on a pending future raises at once (it never blocks); callbacks, cancel() and exception() at work: 1 s.",
  main: function* (): Coroutine<void> {
    const loop = getRunningLoop();
    const future = loop.createFuture<number>();
    print("future.done():", future.done());
    try {
      future.result();
    } catch (error) {
      if (!(error instanceof InvalidStateError)) throw error;
      print("future.result() while pending raises InvalidStateError:", error);
    }
    future.addDoneCallback((f) => print("callback: done() is", f.done(), "and result() is", f.result()));
    loop.callLater(1000, (value: number) => future.setResult(value), 42);
    print("await future:", yield* future);

    const task = createTask(sleep(10_000));
    yield* sleep(0); // let it start sleeping
    print("task.done():", task.done(), "task.cancel():", task.cancel());
    try {
      yield* task;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      print("task.cancelled():", task.cancelled());
    }

    const failing = createTask(fail());
    yield* wait([failing]);
    print("failing.exception():", repr(failing.exception()));
    print("a Task is a Future:", failing instanceof Future);
  },
});
