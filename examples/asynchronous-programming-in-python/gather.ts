/**
 * "Execute Multiple Coroutines using gather() Method": the coroutines now return
 * `(name, result)` tuples instead of printing, and gather runs them concurrently and
 * returns their results in the order they were passed, not the order they finished.
 *
 * ```python
 * async def subtraction(a,b):
 *     await asyncio.sleep(7)
 *     return "Subtraction", a - b
 *
 * async def main():
 *     corrs_result = await asyncio.gather(division(10,20),
 *                                        subtraction(10,20),
 *                                        addition(10,20),
 *                                        multiplication(10,20))
 *
 *     for task, result in corrs_result:
 *         print("{} : {}".format(task, result))
 * ```
 *
 * A Python tuple is `tuple(...)` here (see ../lib/py.ts); it destructures like one.
 * Output:
 *
 * ```
 * Division : 0.5
 * Subtraction : -10
 * Addition : 30
 * Multiplication : 200
 * ```
 *
 * The article prints "Subtract : -10", but its subtraction returns "Subtraction": the
 * code prints "Subtraction : -10" (the article's output must come from an older
 * version of the cell). Total time: exactly 7,000 ms, the longest sleep.
 */
import { type Coroutine, gather, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { format, print, tuple } from "../lib/py.ts";
import { article } from "./article.ts";

export function* addition(a: number, b: number): Coroutine<readonly [string, number]> {
  yield* sleep(3000);
  return tuple("Addition", a + b);
}

export function* multiplication(a: number, b: number): Coroutine<readonly [string, number]> {
  yield* sleep(1000);
  return tuple("Multiplication", a * b);
}

export function* division(a: number, b: number): Coroutine<readonly [string, number]> {
  yield* sleep(5000);
  return tuple("Division", a / b);
}

export function* subtraction(a: number, b: number): Coroutine<readonly [string, number]> {
  yield* sleep(7000);
  return tuple("Subtraction", a - b);
}

export const example = coroutineExample({
  name: "gather",
  title: "Collecting results with gather",
  article: article.slug,
  section: "Execute Multiple Coroutines using \"gather()\" Method",
  explanation: "gather runs the four concurrently (7 s) and returns their (name, result) tuples in input order.",
  main: function* () {
    const corrsResult = yield* gather([division(10, 20), subtraction(10, 20), addition(10, 20), multiplication(10, 20)]);

    for (const [task, result] of corrsResult) {
      print(format("{} : {}", task, result));
    }
    return corrsResult;
  },
});
