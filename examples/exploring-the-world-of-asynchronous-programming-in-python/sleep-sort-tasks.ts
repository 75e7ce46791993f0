/**
 * What `sleep_sort`'s name promises (not in the article, which stops at the sequential
 * version): one task per value, each sleeping for its value and then printing it. The
 * sleeps now overlap, so the smallest value wakes first.
 *
 * ```python
 * async def sleep_then_print(value, out):
 *     await asyncio.sleep(value)
 *     print(value)
 *     out.append(value)
 *
 * async def sleep_sort(values):
 *     out = []
 *     await asyncio.gather(*(sleep_then_print(value, out) for value in values))
 *     return out
 * ```
 *
 * Output for `[3, 1, 2]`:
 *
 * ```
 * 1
 * 2
 * 3
 * ```
 *
 * Total time: exactly 3,000 ms, the largest value, not their sum. In virtual time the
 * order is exact and ties keep their input order (equal deadlines fire in the order
 * they were set); with real sleeps, values closer than the timer resolution could swap.
 */
import { type Coroutine, gather, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";
import { VALUES } from "./sleep-sort.ts";

function* sleepThenPrint(value: number, out: number[]): Coroutine<void> {
  yield* sleep(value * 1000);
  print(value);
  out.push(value);
}

export function* sleepSortTasks(values: readonly number[]): Coroutine<number[]> {
  const out: number[] = [];
  yield* gather(values.map((value) => sleepThenPrint(value, out)));
  return out;
}

export const example = coroutineExample({
  name: "sleep-sort-tasks",
  title: "A real sleep sort: one task per value",
  article: article.slug,
  section: "`async` and `await` (sleep_sort, made concurrent)",
  explanation: "One task per value, all sleeping at once: 1 2 3 come out sorted, after 3 s (the largest), not 6.",
  main: () => sleepSortTasks(VALUES),
});
