/**
 * "Tasks: Scheduling Coroutines in the Event Loop": two tasks from the same coroutine
 * function, awaited one after the other.
 *
 * ```python
 * async def my_coroutine():
 *     print("Coroutine started")
 *     await asyncio.sleep(2)
 *     print("Coroutine finished")
 *     return "Coroutine result"
 *
 * async def main():
 *     task1 = asyncio.create_task(my_coroutine()) # Create a Task from the coroutine
 *     task2 = asyncio.create_task(my_coroutine()) # Create another Task
 *
 *     print("Tasks created, waiting for completion...")
 *
 *     result1 = await task1 # Await the completion of task1
 *     result2 = await task2 # Await the completion of task2
 *
 *     print(f"Task 1 result: {result1}")
 *     print(f"Task 2 result: {result2}")
 *
 * asyncio.run(main())
 * ```
 *
 * The article shows no output. The code prints:
 *
 * ```
 * Tasks created, waiting for completion...
 * Coroutine started
 * Coroutine started
 * Coroutine finished
 * Coroutine finished
 * Task 1 result: Coroutine result
 * Task 2 result: Coroutine result
 * ```
 *
 * create_task only schedules: both tasks start when main first waits (`await task1`),
 * after main's own print. They sleep side by side, so awaiting task2 after task1 costs
 * nothing more. Total time: exactly 2,000 ms, not 4.
 */
import { type Coroutine, createTask, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

export function* myCoroutine(): Coroutine<string> {
  print("Coroutine started");
  yield* sleep(2000);
  print("Coroutine finished");
  return "Coroutine result";
}

export const example = coroutineExample({
  name: "create-two-tasks",
  title: "Two tasks from one coroutine function",
  article: article.slug,
  section: "Tasks: Scheduling Coroutines in the Event Loop",
  explanation: "Both tasks start when main first waits and sleep side by side: awaiting them in turn takes 2 s, not 4.",
  main: function* (): Coroutine<[string, string]> {
    const task1 = createTask(myCoroutine()); // Create a Task from the coroutine
    const task2 = createTask(myCoroutine()); // Create another Task

    print("Tasks created, waiting for completion...");

    const result1 = yield* task1; // Await the completion of task1
    const result2 = yield* task2; // Await the completion of task2

    print(`Task 1 result: ${result1}`);
    print(`Task 2 result: ${result2}`);
    return [result1, result2];
  },
});
