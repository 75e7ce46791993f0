/**
 * "`wait`": waiting for foo, bar and baz with `asyncio.wait`.
 *
 * The article's snippet is cut off after its first line (`async def foo():`), and its
 * description of what wait returns is wrong: wait does not split the awaitables into
 * "completed successfully" and "raised an exception". It returns `(done, pending)`: the
 * ones that finished, however they finished, and the ones still running, which wait
 * never cancels. Also, since Python 3.11 wait takes tasks, not coroutines (a TypeError,
 * as in wasyncio), so the coroutines become tasks first. The twin shows both sets:
 *
 * ```python
 * async def main():
 *     tasks = [asyncio.create_task(foo()), asyncio.create_task(bar()), asyncio.create_task(baz())]
 *
 *     done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
 *     print(len(done), "done,", len(pending), "pending")
 *
 *     done, pending = await asyncio.wait(tasks)   # return_when=ALL_COMPLETED
 *     print(len(done), "done,", len(pending), "pending")
 *     print([task.result() for task in tasks])
 * ```
 *
 * Output:
 *
 * ```
 * Foo
 * Bar
 * Baz
 * 1 done, 2 pending
 * 3 done, 0 pending
 * ['Foo result', 'Bar result', 'Baz result']
 * ```
 *
 * The first wait returns after 1 s with foo done and bar and baz pending (neither
 * failed: they are still sleeping); the second after 3 s with all three done. The
 * results are read from the task list: done and pending are sets, whose order Python
 * does not define. Total time: exactly 3,000 ms.
 */
import { type Coroutine, createTask, FIRST_COMPLETED, getRunningLoop, wait } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { len, print } from "../lib/py.ts";
import { article } from "./article.ts";
import { bar, baz, foo } from "./foo-bar-baz.ts";

/** Not in the article: when each wait returned, for the tests. */
export interface WaitTimes {
  firstCompleted: number;
  allCompleted: number;
}

export const example = coroutineExample({
  name: "foo-bar-baz-wait",
  title: "foo, bar and baz with wait",
  article: article.slug,
  section: "`wait`",
  explanation: "wait returns (done, pending): FIRST_COMPLETED gives 1 done, 2 pending at 1 s; ALL_COMPLETED all 3 at 3 s.",
  main: function* (): Coroutine<WaitTimes> {
    const loop = getRunningLoop();
    const tasks = [createTask(foo()), createTask(bar()), createTask(baz())];

    let { done, pending } = yield* wait(tasks, { returnWhen: FIRST_COMPLETED });
    print(len(done), "done,", len(pending), "pending");
    const firstCompleted = loop.time();

    ({ done, pending } = yield* wait(tasks)); // returnWhen: ALL_COMPLETED
    print(len(done), "done,", len(pending), "pending");
    print(tasks.map((task) => task.result()));

    return { firstCompleted, allCompleted: loop.time() };
  },
});
