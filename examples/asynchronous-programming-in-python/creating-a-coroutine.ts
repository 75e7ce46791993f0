/**
 * "Creating A Coroutine": `async def myCoroutine()` sleeps 2 to 5 seconds at random.
 *
 * ```python
 * async def myCoroutine():
 *     process_time = random.randint(2,5)
 *     await asyncio.sleep(process_time)
 *     print('This Task Has Been Completed!')
 *
 * myCoroutine()
 * ```
 *
 * In wasyncio a coroutine is a generator function and `await` is `yield*`. Calling
 * `myCoroutine()` only creates the coroutine object (a generator) and runs none of its
 * body: the article's last line prints nothing (Python adds "RuntimeWarning: coroutine
 * 'myCoroutine' was never awaited"; JavaScript silently drops a generator never run).
 * This example then does what the article leaves out, awaiting it, to show it run.
 *
 * Unlike the article's, this `myCoroutine` returns `process_time`, so that the tests can
 * check the loop time against it (they also fix Math.random to make it exact).
 */
import { type Coroutine, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

/** Python's `random.randint(a, b)`: an integer from a to b, both included. */
export function randint(a: number, b: number): number {
  return a + Math.floor(Math.random() * (b - a + 1));
}

export function* myCoroutine(): Coroutine<number> {
  const processTime = randint(2, 5);
  yield* sleep(processTime * 1000);
  print("This Task Has Been Completed!");
  return processTime;
}

export const example = coroutineExample({
  name: "coroutine",
  title: "Creating a coroutine",
  article: article.slug,
  section: "Creating A Coroutine",
  explanation: "Calling a function* only creates a coroutine (a generator); it runs, 2-5 s, once awaited with yield*.",
  main: function* () {
    const coro = myCoroutine(); // the article's `myCoroutine()`: nothing runs, nothing prints
    return yield* coro; // awaited: sleeps 2-5 s, then prints
  },
});
