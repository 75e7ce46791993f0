import type { Coroutine } from "./coroutine.js";
import type { Operation } from "./operation.js";
import { running } from "./running.js";

/**
 * Hands back `op`, an operation that does nothing until it is awaited: a sleep, an
 * acquire, a put, a timeout scope. Forgetting the `yield*` in front of one is the easy
 * mistake with generator coroutines (`sleep(100);` waits for nothing, `queue.put(job);`
 * puts nothing), and JavaScript says nothing about it. In debug mode the loop watches
 * such an operation, and one dropped without ever being started is reported when it is
 * garbage-collected, as asyncio reports a coroutine that was never awaited.
 *
 * The other easy mistake is `await sleep(100)` in async code: `await` takes what is not
 * a promise for a plain value and goes on at once. So the first operation of each kind
 * gives its kind (its class, or its generator function's prototype) a `then` that
 * refuses, with a message that says what to write instead.
 *
 * Outside debug mode this is two property reads. The result is typed as an
 * {@link Operation}, whose declared `then` makes `await op` a compile error too.
 *
 * @param what how the operation is named in the report, such as `"sleep()"`.
 * @param on the object the operation works on (a queue, a lock), described in the report.
 */
export function mustAwait<T>(op: Coroutine<T>, what: string, on?: object): Operation<T> {
  if ((op as Partial<PromiseLike<unknown>>).then === undefined) refuseAwait(Object.getPrototypeOf(op) as object);
  const debug = running.loop?._debug;
  return (debug ? debug.watch(op, what, on) : op) as Operation<T>;
}

/** The `then` of every operation kind: it refuses, so that `await op` is not taken for a value. */
export function refusedThen(): never {
  throw new TypeError(
    "a wasyncio operation is awaited with yield* in a function*, not with await (from async code, await a task that runs it; an async function* cannot yield* one)",
  );
}

/**
 * @internal Whether `value` is one of the runtime's operations (it has their refusing
 * `then`): yielded where its `*` is missing. False for a value that cannot be asked (a
 * revoked Proxy, a `then` getter that throws).
 */
export function isOperation(value: unknown): boolean {
  try {
    return (value as { then?: unknown } | null)?.then === refusedThen;
  } catch {
    return false;
  }
}

function refuseAwait(kind: object): void {
  // An operation made as a plain object would make every object in the program
  // thenable, and every `await` of one fail: such a kind is left as it is.
  if (kind === Object.prototype) return;
  Object.defineProperty(kind, "then", { value: refusedThen });
}
