/**
 * "`async` and `await`": the article's first coroutine, `sleep_sort`.
 *
 * ```python
 * async def sleep_sort(values):
 *     for value in values:
 *         await asyncio.sleep(value)
 *         print(value)
 * ```
 *
 * The article only defines it; this example runs it on `[3, 1, 2]`. Despite its name it
 * does not sort: one coroutine sleeps for each value in turn, so it prints the values in
 * the order given, and the sleeps add up, 3 + 1 + 2 = 6 s. (The article's description,
 * "prints them out one at a time, with a delay between each value equal to the value
 * itself", is what it does.) A sleep sort needs the sleeps to overlap, one task per
 * value: that is the next example, `sleep-sort-tasks`.
 *
 * Output:
 *
 * ```
 * 3
 * 1
 * 2
 * ```
 *
 * Total time: exactly 6,000 ms of loop time.
 */
import { type Coroutine, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

/** The values both sleep-sort examples sort (the article gives none). */
export const VALUES: readonly number[] = [3, 1, 2];

export function* sleepSort(values: readonly number[]): Coroutine<void> {
  for (const value of values) {
    yield* sleep(value * 1000); // asyncio.sleep(value) counts seconds, wasyncio's sleep ms
    print(value);
  }
}

export const example = coroutineExample({
  name: "sleep-sort",
  title: "sleep_sort: one coroutine, one sleep after another",
  article: article.slug,
  section: "`async` and `await`",
  explanation: "One coroutine sleeps 3, 1, then 2 s: it prints 3 1 2, unsorted, after 3 + 1 + 2 = 6 s.",
  main: () => sleepSort(VALUES),
});
