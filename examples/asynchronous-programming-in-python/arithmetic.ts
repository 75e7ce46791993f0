/**
 * The article's four arithmetic coroutines ("Simple Example Demonstrating Use Of
 * 'Async' / 'Await' Keywords"), shared by the sequential and the create_task examples
 * as they are shared by the article's notebook cells.
 *
 * ```python
 * async def addition(a,b):
 *     await asyncio.sleep(3)
 *     print("Addition Result : ", a + b)
 * ```
 *
 * asyncio counts seconds, wasyncio milliseconds: `asyncio.sleep(3)` is `sleep(3000)`.
 * `print("Addition Result : ", 30)` prints `Addition Result :  30`, with two spaces:
 * print puts one space between its arguments and the label already ends with one.
 */
import { type Coroutine, sleep } from "../../src/index.ts";
import { print } from "../lib/py.ts";

export function* addition(a: number, b: number): Coroutine<void> {
  yield* sleep(3000);
  print("Addition Result : ", a + b);
}

export function* multiplication(a: number, b: number): Coroutine<void> {
  yield* sleep(1000);
  print("Multiplication Result : ", a * b);
}

export function* division(a: number, b: number): Coroutine<void> {
  yield* sleep(5000);
  print("Division Result : ", a / b);
}

export function* subtraction(a: number, b: number): Coroutine<void> {
  yield* sleep(7000);
  print("Subtraction Result : ", a - b);
}
