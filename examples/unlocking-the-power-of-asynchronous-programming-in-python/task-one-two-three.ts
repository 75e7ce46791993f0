/**
 * "Using the gather Function": three coroutines of 2, 3 and 1 s, gathered.
 *
 * ```python
 * async def task_one():
 *     await asyncio.sleep(2)
 *     return "Task One Done"
 *
 * async def task_two():
 *     await asyncio.sleep(3)
 *     return "Task Two Done"
 *
 * async def task_three():
 *     await asyncio.sleep(1)
 *     return "Task Three Done"
 *
 * async def main():
 *     results = await asyncio.gather(task_one(), task_two(), task_three())
 *     for result in results:
 *         print(result)
 * ```
 *
 * Output:
 *
 * ```
 * Task One Done
 * Task Two Done
 * Task Three Done
 * ```
 *
 * The article shows each line in angle brackets (`<Task One Done>`), its notation for
 * output; the code prints the strings alone. The order is the arguments' order, although
 * task_three finishes first: gather returns results in input order, and main prints
 * them only once all three are done. Total time: exactly 3,000 ms, the longest sleep
 * (2 + 3 + 1 = 6 s in sequence).
 */
import { type Coroutine, gather, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

export function* taskOne(): Coroutine<string> {
  yield* sleep(2000);
  return "Task One Done";
}

export function* taskTwo(): Coroutine<string> {
  yield* sleep(3000);
  return "Task Two Done";
}

export function* taskThree(): Coroutine<string> {
  yield* sleep(1000);
  return "Task Three Done";
}

export const example = coroutineExample({
  name: "task-one-two-three",
  title: "task_one, task_two and task_three with gather",
  article: article.slug,
  section: "Using the gather Function",
  explanation: "gather runs the 2, 3 and 1 s coroutines together (3 s) and returns results in argument order.",
  main: function* () {
    const results = yield* gather([taskOne(), taskTwo(), taskThree()]);
    for (const result of results) {
      print(result);
    }
    return results;
  },
});
