import type { Coroutine, yieldedByYieldStar } from "./coroutine.js";

/**
 * The parameter of an {@link Operation}'s `then`: an object no promise machinery passes
 * (`await` passes a function), so that `await op` fails to compile with TS1320 and the
 * type says why. It is a parameter, not `never`: a `then(x: never): never` would make
 * the operation a PromiseLike, and `until(op)` would compile.
 */
export interface AwaitedWithYieldStar {
  readonly wasyncioOperation: "awaited with yield*";
}

/**
 * What the runtime's operations return: `sleep()`, a queue's `put()` and `get()`, a
 * lock's `acquire()`, `timeout()`, `taskGroup()`, `wait()` and the rest. It is a
 * {@link Coroutine} that does nothing until a task awaits it with `yield*`, which gives
 * `T`; it can also be passed to `createTask`, `gather` or anything else that takes a
 * coroutine.
 *
 * Its `then` refuses at run time (`await sleep(10)` would otherwise go on at once), and
 * its type makes `await op` a compile error (TS1320) rather than a wait for nothing.
 * From async code, await a task that runs the operation (on the loop its queue or lock
 * serves), or a `run()` of it when it needs no loop of its own yet.
 *
 * @example
 * ```ts
 * function* consumer(queue: Queue<string>): Coroutine<void> {
 *   const next: Operation<string> = queue.get(); // nothing happens yet
 *   const job = yield* next; // waits for an item
 * }
 *
 * async function fromAsyncCode(loop: EventLoop, queue: Queue<string>) {
 *   // await queue.get(); // TS1320: an Operation is not a promise
 *   const job = await loop.createTask(queue.get()); // the loop the queue's tasks run on
 * }
 * ```
 */
export interface Operation<T = unknown> extends Coroutine<T> {
  /**
   * Throws a TypeError: an operation is awaited with `yield*` in a `function*`, not with
   * `await`. Declared only so that `await op` fails to compile.
   */
  then(refused: AwaitedWithYieldStar): void;
  /** Not there at run time: it makes `yield op`, where `yield* op` was meant, fail to compile, saying so. */
  readonly [yieldedByYieldStar]: "an operation: yield* it, not yield";
}
