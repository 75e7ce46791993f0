import { running } from "./running.js";

/**
 * Hands back `op`, an operation that does nothing until it is awaited: a sleep, an
 * acquire, a put, a timeout scope. Forgetting the `yield*` in front of one is the easy
 * mistake with generator coroutines (`sleep(100);` waits for nothing, `queue.put(job);`
 * puts nothing), and JavaScript says nothing about it. In debug mode the loop watches
 * such an operation, and one dropped without ever being started is reported when it is
 * garbage-collected, as asyncio reports a coroutine that was never awaited.
 *
 * Outside debug mode this is one property read.
 *
 * @param what how the operation is named in the report, such as `"sleep()"`.
 * @param on the object the operation works on (a queue, a lock), described in the report.
 */
export function mustAwait<T extends object>(op: T, what: string, on?: object): T {
  const debug = running.loop?._debug;
  return debug ? debug.watch(op, what, on) : op;
}
