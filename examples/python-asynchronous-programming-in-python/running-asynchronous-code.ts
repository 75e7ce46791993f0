/**
 * "Running Asynchronous Code", the article's only snippet: main gathers three
 * coroutines that do nothing, and `asyncio.run` runs main.
 *
 * ```python
 * async def my_coroutine():
 *     # Asynchronous code goes here
 *     pass
 *
 * async def main():
 *     await asyncio.gather(
 *         my_coroutine(),
 *         my_coroutine(),
 *         my_coroutine()
 *     )
 *
 * asyncio.run(main())
 * ```
 *
 * It prints nothing and takes no time: exactly 0 ms of loop time. gather still wraps
 * each coroutine in a task and runs the three in one loop iteration; their results are
 * `[None, None, None]` (`[undefined, undefined, undefined]`), which main drops. A
 * function* with an empty body is wasyncio's `pass` coroutine.
 */
import { type Coroutine, gather } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { article } from "./article.ts";

export function* myCoroutine(): Coroutine<void> {
  // Asynchronous code goes here
}

export const example = coroutineExample({
  name: "running-asynchronous-code",
  title: "run(main) gathering three empty coroutines",
  article: article.slug,
  section: "Running Asynchronous Code",
  explanation: "gather of three coroutines that do nothing: run(main) prints nothing and takes 0 ms.",
  main: function* () {
    // Not in the article: main returns gather's results, for the tests.
    return yield* gather([myCoroutine(), myCoroutine(), myCoroutine()]);
  },
});
