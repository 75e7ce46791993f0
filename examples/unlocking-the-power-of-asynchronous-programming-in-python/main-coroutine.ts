/**
 * "Creating an Event Loop": `asyncio.run(main())` starts a loop, runs the coroutine and
 * closes the loop.
 *
 * ```python
 * async def main():
 *     print("Start of main coroutine")
 *     await asyncio.sleep(2)
 *     print("End of main coroutine")
 *
 * asyncio.run(main())
 * ```
 *
 * Output, as in the article (whose `<waits for 2 seconds>` is the pause, not a line):
 *
 * ```
 * Start of main coroutine
 * End of main coroutine
 * ```
 *
 * Total time: exactly 2,000 ms of loop time. `asyncio.run(main())` is
 * `await run(main)`; `run` takes the generator function or the generator `main()`.
 */
import { type Coroutine, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

export function* main(): Coroutine<void> {
  print("Start of main coroutine");
  yield* sleep(2000);
  print("End of main coroutine");
}

export const example = coroutineExample({
  name: "main-coroutine",
  title: "run(main): the loop that runs a coroutine",
  article: article.slug,
  section: "Creating an Event Loop",
  explanation: "run(main) makes a loop, runs main to its end (2 s of sleep) and closes the loop.",
  main,
});
