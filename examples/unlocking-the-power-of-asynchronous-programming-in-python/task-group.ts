/**
 * "Using Task Groups": two fetch_data tasks in a TaskGroup.
 *
 * ```python
 * async def fetch_data():
 *     await asyncio.sleep(2)
 *     return "Data Fetched"
 *
 * async def main():
 *     async with asyncio.TaskGroup() as tg:
 *         task1 = tg.create_task(fetch_data())
 *         task2 = tg.create_task(fetch_data())
 *         await task1
 *         await task2
 * ```
 *
 * `async with asyncio.TaskGroup() as tg:` is `yield* taskGroup(function* (tg) { ... })`:
 * the block cannot be left before every task started in it is done (the two awaits are
 * not even needed), and if one task failed the others would be cancelled and the errors
 * raised together as an ExceptionGroup.
 *
 * The code prints nothing. The article's output, `<waits for 2 seconds>` twice, suggests
 * 4 s, but both tasks sleep at the same time: by the time task1 is done, so is task2.
 * Total time: exactly 2,000 ms.
 */
import { type Coroutine, sleep, taskGroup } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { article } from "./article.ts";

export function* fetchData(): Coroutine<string> {
  yield* sleep(2000);
  return "Data Fetched";
}

export const example = coroutineExample({
  name: "task-group",
  title: "Two tasks in a TaskGroup",
  article: article.slug,
  section: "Using Task Groups",
  explanation: "taskGroup waits for both fetch_data tasks; they sleep together, so 2 s, not the article's 2 + 2 (prints nothing).",
  main: function* (): Coroutine<string[]> {
    return yield* taskGroup(function* (tg) {
      const task1 = tg.createTask(fetchData());
      const task2 = tg.createTask(fetchData());
      yield* task1;
      yield* task2;
      return [task1.result(), task2.result()]; // not in the article: for the tests
    });
  },
});
