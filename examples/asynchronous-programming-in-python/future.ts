/**
 * "Futures in Asyncio": foo awaits a future that bar resolves 2 s later.
 *
 * ```python
 * async def bar(future):
 *     print("bar will sleep for 2 seconds")
 *     await asyncio.sleep(2)
 *     print("bar resolving the future")
 *     future.set_result("future is resolved")
 *
 * async def foo(future):
 *     print("foo will await the future")
 *     future_result = await future
 *     print("Future result : ", future_result)
 *     print("Is future is done? ", future.done())
 *     return future_result()
 *
 * async def main():
 *     future = Future()
 *     results = await asyncio.gather(foo(future), bar(future))
 *     print(results)
 *
 * await main()
 * print("main exiting")
 * ```
 *
 * `return future_result()` calls the string "future is resolved": Python raises
 * "TypeError: 'str' object is not callable", gather re-raises it in main, and nothing
 * after it prints. The comment beside it in the article ("result() - Return the result
 * of the Future") shows what was meant, `future.result()`, which this example does. Then
 * gather returns ['future is resolved', None], None being what bar returns.
 *
 * The article's output also differs from its own format strings ("Future result:" and
 * "Is future is done: True"); this prints what the code prints:
 *
 * ```
 * foo will await the future
 * bar will sleep for 2 seconds
 * bar resolving the future
 * Future result :  future is resolved
 * Is future is done?  True
 * ['future is resolved', None]
 * main exiting
 * ```
 *
 * Total time: exactly 2,000 ms.
 */
import { type Coroutine, Future, gather, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

/** bar coroutine will mark the future as done. */
export function* bar(future: Future<string>): Coroutine<void> {
  print("bar will sleep for 2 seconds");
  yield* sleep(2000);
  print("bar resolving the future");
  future.setResult("future is resolved"); // Mark the Future as done and set its result.
}

/** foo coroutine will await the future till it is not marked as done. */
export function* foo(future: Future<string>): Coroutine<string> {
  print("foo will await the future");
  const futureResult = yield* future;
  print("Future result : ", futureResult);
  print("Is future is done? ", future.done()); // done() - Return True if the Future is done.
  return future.result(); // result() - Return the result of the Future. (The article: future_result().)
}

export function* main(): Coroutine<[string, void]> {
  // Python's Future() belongs to the running loop; so does wasyncio's (also: getRunningLoop().createFuture()).
  const future = new Future<string>();
  // future object is passed to both foo and bar coroutines
  const results = yield* gather([foo(future), bar(future)]);
  print(results); // 2nd element is None as bar is not returning anything
  return results;
}

export const example = coroutineExample({
  name: "future",
  title: "A Future resolved by another coroutine",
  article: article.slug,
  section: "Futures in Asyncio",
  explanation: "foo waits on a Future until bar sets its result 2 s later; gather returns both results in order.",
  main: function* () {
    const results = yield* main();
    print("main exiting");
    return results;
  },
});
