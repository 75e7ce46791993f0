/**
 * "Using the await Keyword": `fetch_data` runs as a task, and main awaits the task for
 * its result.
 *
 * ```python
 * async def fetch_data():
 *     print("Fetching data...")
 *     await asyncio.sleep(3)
 *     return "Data fetched"
 *
 * async def main():
 *     task = asyncio.create_task(fetch_data())
 *     result = await task
 *     print(result)
 *
 * asyncio.run(main())
 * ```
 *
 * Output, as in the article:
 *
 * ```
 * Fetching data...
 * Data fetched
 * ```
 *
 * Total time: exactly 3,000 ms.
 */
import { type Coroutine, createTask, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

export function* fetchData(): Coroutine<string> {
  print("Fetching data...");
  yield* sleep(3000);
  return "Data fetched";
}

export const example = coroutineExample({
  name: "fetch-data-task",
  title: "fetch_data as a task, awaited for its result",
  article: article.slug,
  section: "Using the await Keyword",
  explanation: "createTask(fetchData()) starts it; yield* task waits the 3 s and gives back its return value.",
  main: function* (): Coroutine<string> {
    const task = createTask(fetchData());
    const result = yield* task;
    print(result);
    return result;
  },
});
