/**
 * "Defining Asynchronous Functions with async def": calling a coroutine function only
 * makes a coroutine object; `asyncio.run` runs it.
 *
 * ```python
 * async def hello_async():
 *     print("Hello from async function!")
 *     await asyncio.sleep(1) # Simulate some async operation (like network I/O)
 *     print("Async function finished.")
 *
 * # Calling the async function returns a coroutine object
 * coro = hello_async()
 * print(f"Coroutine object: {coro}")
 *
 * # To actually run the coroutine, we need to use an event loop
 * asyncio.run(coro)
 * ```
 *
 * In wasyncio the coroutine object is a generator: `helloAsync()` runs none of the body,
 * and `run(coro)` takes it as `asyncio.run(coro)` does. Output:
 *
 * ```
 * Coroutine object: [object Generator]
 * Hello from async function!
 * Async function finished.
 * ```
 *
 * The first line is JavaScript's text for a generator, where Python prints
 * `<coroutine object hello_async at 0x7f...>` (an address that changes every run).
 * "Hello from async function!" comes after it: the body starts only when the loop runs
 * it. Total time: exactly 1,000 ms.
 */
import { type Coroutine, run, sleep } from "../../src/index.ts";
import { type Example, type ExampleRun, measured, type RunOptions } from "../lib/example.ts";
import { print, str } from "../lib/py.ts";
import { article } from "./article.ts";

export function* helloAsync(): Coroutine<void> {
  print("Hello from async function!");
  yield* sleep(1000); // Simulate some async operation (like network I/O)
  print("Async function finished.");
}

export const example: Example<void> = {
  name: "hello-async",
  title: "hello_async: a coroutine object, then run(coro)",
  article: article.slug,
  section: "Defining Asynchronous Functions with async def",
  explanation: "helloAsync() only makes a generator (nothing printed yet); run(coro) runs its body: 1 s.",
  run({ clock = "virtual", core }: RunOptions = {}): Promise<ExampleRun<void>> {
    // Calling the async function returns a coroutine object
    const coro = helloAsync();
    print(`Coroutine object: ${str(coro)}`);

    // To actually run the coroutine, we need to use an event loop
    return run(measured(coro), { clock, core });
  },
};
