/**
 * The article's three coroutines, shared by its `gather` and `wait` examples.
 *
 * ```python
 * async def foo():
 *     print('Foo')
 *     await asyncio.sleep(1)
 *     return 'Foo result'
 * ```
 *
 * bar sleeps 2 s and baz 3 s.
 */
import { type Coroutine, sleep } from "../../src/index.ts";
import { print } from "../lib/py.ts";

export function* foo(): Coroutine<string> {
  print("Foo");
  yield* sleep(1000);
  return "Foo result";
}

export function* bar(): Coroutine<string> {
  print("Bar");
  yield* sleep(2000);
  return "Bar result";
}

export function* baz(): Coroutine<string> {
  print("Baz");
  yield* sleep(3000);
  return "Baz result";
}
