/**
 * "Simple Example Demonstrating Use Of 'Async' / 'Await' Keywords": main awaits the
 * four coroutines one after another, so their sleeps add up: 5 + 7 + 3 + 1 = 16 s.
 *
 * ```python
 * async def main():
 *     await division(10,20)
 *     await subtraction(10,20)
 *     await addition(10,20)
 *     await multiplication(10,20)
 *
 * await main()
 * ```
 *
 * Output, as in the article (whose Start/End time lines are the harness's; the tour
 * prints the time taken instead):
 *
 * ```
 * Division Result :  0.5
 * Subtraction Result :  -10
 * Addition Result :  30
 * Multiplication Result :  200
 * ```
 *
 * The article shows one space after the colon: Python's print prints two, one ending
 * the label and one between the arguments. Total time: exactly 16,000 ms of loop time
 * (the article measured 16.05 s of wall time).
 */
import { coroutineExample } from "../lib/example.ts";
import { addition, division, multiplication, subtraction } from "./arithmetic.ts";
import { article } from "./article.ts";

export const example = coroutineExample({
  name: "sequential",
  title: "Awaiting coroutines one after another",
  article: article.slug,
  section: "Creating A Coroutine (Simple Example Demonstrating Use Of 'Async' / 'Await' Keywords)",
  explanation: "Each yield* waits for its coroutine to finish, so the sleeps add up: 5 + 7 + 3 + 1 = 16 s.",
  main: function* () {
    yield* division(10, 20);
    yield* subtraction(10, 20);
    yield* addition(10, 20);
    yield* multiplication(10, 20);
  },
});
