import type { Coroutine, Yielded } from "./coroutine.js";
import { generatorExit, RuntimeError } from "./errors.js";
import { DONE_UNDEFINED } from "./iterator-results.js";
import { mustAwait } from "./must-await.js";
import type { AwaitedWithYieldStar } from "./operation.js";

/** The key of {@link Emitted}'s brand: a type only, with no value at run time. */
export declare const emittedItem: unique symbol;

/**
 * What `yield* emit(item)` yields to whoever reads the producer: the item, wrapped. Only
 * a type: a producer's yield type is `Yielded | Emitted<T>`, which is how forAwait infers
 * its item type, and how a producer run as a task fails to compile.
 */
export interface Emitted<T> {
  readonly [emittedItem]: T;
}

/**
 * A producer: what a `function*` that emits items with `yield* emit(item)` returns when
 * called, asyncio's async generator (`async def` with `yield`). It may wait between
 * items like any coroutine; forAwait reads it in the reading task. `R` is what it returns,
 * which no reader takes (an async generator returns nothing); a parameter that takes any
 * producer is a `Producer<T, unknown>`.
 */
export type Producer<T, R = void> = Generator<Yielded | Emitted<T>, R, unknown>;

/**
 * The items of a producer that yields `Y`: what its emits carry. Each emit's type is
 * unwrapped on its own, so a producer that emits numbers and strings gives
 * `number | string`.
 */
export type EmittedItems<Y> = Y extends Emitted<infer T> ? T : never;

/** `yield* emit(item)`: hands `item` to the reader and resumes when it asks for the next. */
export interface EmitOperation<T> extends Iterator<Emitted<T>, void, unknown> {
  [Symbol.iterator](): Iterator<Emitted<T>, void, unknown>;
  /** Refused: an emit is `yield*`ed in a producer, not awaited. */
  then(refused: AwaitedWithYieldStar): void;
}

/** @internal What the reader sends a producer stopped at an emit when it asks for the next item. */
export const ITEM_TAKEN: unique symbol = Symbol("wasyncio.itemTaken");

/** @internal One `emit(item)`: yields itself to the reader once, then ends when the item was taken. */
export class EmitOp<T> {
  readonly done = false;
  /** Itself: a task that is handed it tells from `_notAwaitable` why it cannot wait on it. */
  readonly value: this = this;
  /** @internal */ readonly _item: T;

  constructor(item: T) {
    this._item = item;
  }

  next(sent?: unknown): IteratorResult<Emitted<T>, void> {
    return sent === ITEM_TAKEN ? DONE_UNDEFINED : (this as unknown as IteratorYieldResult<Emitted<T>>);
  }
  throw(error: unknown): never {
    throw error;
  }
  return(): IteratorResult<Emitted<T>, void> {
    return DONE_UNDEFINED;
  }
  [Symbol.iterator](): this {
    return this;
  }
  /** @internal What a task that was handed an emitted item says of it (see `describeYielded` in task.ts). */
  get _notAwaitable(): string {
    return "an item of emit() (a function* that emits is a producer: read it with forAwait(producer(), body), not as a task nor with yield*)";
  }
}

/**
 * Emits `item` from a producer, as `yield item` does in an asyncio async generator: the
 * reader (forAwait) runs its body on the item, and the producer resumes when it asks for
 * the next one. Between items a producer waits like any coroutine (sleeps, awaits tasks
 * and promises); it runs in the reading task, so cancelling that task throws
 * CancelledError where the producer waits, and its `finally` blocks run.
 *
 * A producer that calls another with `yield*` emits that one's items too (asyncio's
 * `async for x in inner(): yield x`).
 *
 * @example
 * ```ts
 * function* ticks(count: number) {
 *   for (let n = 1; n <= count; n++) {
 *     yield* sleep(1000);
 *     yield* emit(n);
 *   }
 * }
 *
 * function* main() {
 *   yield* forAwait(ticks(3), (n) => console.log(`tick ${n}`)); // one a second
 * }
 * ```
 */
export function emit<T>(item: T): EmitOperation<T> {
  return mustAwait(new EmitOp(item) as unknown as Coroutine<void>, "emit()") as unknown as EmitOperation<T>;
}

/**
 * @internal Whether a producer's yielded value is for the reading task to wait on: what
 * `yield*` of the runtime's awaitables yields (a Future, a sleep), or a bare `yield;`.
 */
function isAwaitedByTask(yielded: unknown): boolean {
  if (yielded === undefined) return true;
  try {
    return (yielded as { _awaitKind?: unknown })._awaitKind !== undefined;
  } catch {
    // A revoked Proxy: not the task's to await. Read as an item, it fails there, as
    // `for await` fails on it.
    return false;
  }
}

/**
 * @internal Runs `producer` on from `step` (what it just gave) until it yields something
 * other than what the reading task waits on, or ends: each awaitable is yielded to the
 * task, and what the task resumes with (a value, or an error such as a cancellation) is
 * passed on to the producer. Run with `yield*` from the reading task's step.
 *
 * A reading task whose coroutine is closed while the producer waits (a loop closed with
 * the task pending closes it by `return()`) closes the producer there too, so that its
 * `finally` blocks run before the reader's, as asyncio's GeneratorExit goes through
 * `anext()` into the async generator. A producer's cleanup that waits stops there, and
 * the reader gets a RuntimeError where it reads, its own `finally` blocks running with
 * it, as CPython's reader gets "coroutine ignored GeneratorExit"; the loop's `close()`
 * reports it.
 */
export function* forwardAwaits(producer: Producer<unknown, unknown>, step: IteratorResult<unknown>): Coroutine<IteratorResult<unknown>> {
  // Set until the loop ends: left by an error the producer threw, that ended it, and its
  // return() below does nothing.
  let closedWhileWaiting = true;
  try {
    while (!step.done && isAwaitedByTask(step.value)) {
      let resumed: unknown;
      try {
        resumed = yield step.value as Yielded;
      } catch (error) {
        step = producer.throw(error);
        continue;
      }
      step = producer.next(resumed);
    }
    closedWhileWaiting = false;
    return step;
  } finally {
    if (closedWhileWaiting) {
      if (!producer.return(undefined).done) {
        throw new RuntimeError("a producer the task read waited in its cleanup after its loop closed; the rest of that cleanup did not run");
      }
    }
  }
}

/**
 * @internal Closes a producer that stopped at an item, as `aclose()` does an async
 * generator: its `finally` blocks run, and may wait, in the reading task. One stopped at
 * an emit gets a GeneratorExit there, as asyncio throws one in: a `return()` would be lost
 * inside a `yield*` whose callee's `finally` waits (JavaScript resumes that callee with
 * `next()`, and its caller goes on as if it had returned normally). One stopped at a
 * plain `yield` is a generator read as `for await` reads one, and is closed as it would
 * be, by `return()`. One that gives an item instead of ending is left as it is, and the
 * reader gets a RuntimeError (asyncio: "async generator ignored GeneratorExit").
 */
export function* closeProducer(producer: Producer<unknown, unknown>, stoppedAtEmit: boolean, what: string): Coroutine<void> {
  const exit = stoppedAtEmit ? generatorExit("the producer's reader left: it closes") : null;
  let step: IteratorResult<unknown>;
  try {
    step = yield* forwardAwaits(producer, exit !== null ? producer.throw(exit) : producer.return(undefined));
  } catch (error) {
    if (error === exit) return; // it ended by the exit, as it should
    throw error;
  }
  if (!step.done) {
    throw new RuntimeError(`${what}: the producer gave an item while it was being closed, instead of ending (did a catch swallow the GeneratorExit? throw it on)`);
  }
}
