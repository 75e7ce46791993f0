import { type Coroutine, isCoroutine, isGeneratorFunction, refuseAsync, toCoroutine, type TaskBody, type Yielded } from "./coroutine.js";
import { refusePromiseFromBody } from "./errors.js";
import { Future } from "./future.js";
import type { RefusedReturn } from "./refused-return.js";
import { DONE_UNDEFINED } from "./iterator-results.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";

/** @internal Something held with acquire()/release(): what {@link holding} needs. */
export interface Acquirable {
  /** The acquire operation, not watched by debug mode: `with` starts it itself. */
  _acquire(): Iterator<Yielded, true, unknown>;
  release(): void;
}

const enum Phase {
  Acquiring,
  Holding,
  Done,
}

const enum Resume {
  Next,
  Throw,
  Return,
}

/**
 * @internal The scoped form shared by Lock, Semaphore and Condition (`with(body)`): the
 * generator
 *
 * ```ts
 * function* holding(primitive, body) {
 *   const coro = toCoroutine(body);
 *   yield* primitive.acquire();
 *   try { return yield* coro; } finally { primitive.release(); }
 * }
 * ```
 *
 * written as an iterator, as Queue's get and Semaphore's acquire are: each resume of the
 * body goes through one call here instead of one more generator frame, and a `with`
 * costs one object instead of two generators (W5's scoped form: about 3.3 → 2.5 µs per
 * task). The body is turned into a coroutine at once, so that a bad argument fails
 * without taking anything. Once acquired, the primitive is released when the body
 * returns or throws, and when `return()` closes it; if the acquire itself fails
 * (cancelled while waiting), nothing was taken and nothing is released.
 */
class Holding<R> implements Coroutine<R> {
  private _phase = Phase.Acquiring;
  /** The acquire operation while acquiring, then the body. */
  private _inner: Iterator<Yielded, unknown, unknown>;
  private readonly _primitive: Acquirable;
  private readonly _body: Coroutine<R>;

  constructor(primitive: Acquirable, body: Coroutine<R>) {
    this._primitive = primitive;
    this._body = body;
    this._inner = primitive._acquire();
  }

  next(value?: unknown): IteratorResult<Yielded, R> {
    return this._resume(Resume.Next, value);
  }

  throw(error: unknown): IteratorResult<Yielded, R> {
    return this._resume(Resume.Throw, error);
  }

  return(value: R): IteratorResult<Yielded, R> {
    return this._resume(Resume.Return, value);
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** `yield*` of the current inner iterator, with the `try/finally` around the body. */
  private _resume(how: Resume, value: unknown): IteratorResult<Yielded, R> {
    if (this._phase === Phase.Done) {
      if (how === Resume.Throw) throw value;
      return (how === Resume.Return ? { value, done: true } : DONE_UNDEFINED) as IteratorResult<Yielded, R>;
    }
    const inner = this._inner;
    let result: IteratorResult<Yielded, unknown>;
    try {
      if (how === Resume.Next) result = inner.next(value);
      else if (how === Resume.Throw) result = inner.throw!(value);
      else result = inner.return === undefined ? { value, done: true } : inner.return(value);
    } catch (error) {
      this._finish();
      throw error;
    }
    if (!result.done) return result;
    if (this._phase === Phase.Holding || how === Resume.Return) {
      // The body is over (or the acquire was closed before it began).
      this._finish();
      return result as IteratorReturnResult<R>;
    }
    // Acquired: run the body.
    this._phase = Phase.Holding;
    this._inner = this._body;
    return this._resume(Resume.Next, undefined);
  }

  /** The end, however it came: gives back what the body held. */
  private _finish(): void {
    const held = this._phase === Phase.Holding;
    this._phase = Phase.Done;
    if (held) this._primitive.release();
  }
}

/**
 * What `with(body)` takes: a body as a task takes one (a `function*`, a coroutine, a
 * function returning a Future), or a plain function that does not wait, whose result is
 * the value (`cond.with(() => cond.notifyAll())`, asyncio's `async with cond:` around
 * code without `await`). One that returns a promise is refused: it would go on after the
 * release, and nothing would wait for it.
 */
export type HeldBody<R> = TaskBody<R> | PlainHeldBody<R>;

/**
 * A plain function given to `with()`, which does not wait: its result is the value. One
 * that returns a promise is refused, and so is a coroutine, which is the `function*`
 * form's (its own overload checks what it yields).
 */
export type PlainHeldBody<R> = (() => R) &
  RefusedReturn<R, PromiseLike<unknown> | Coroutine<unknown, unknown>, "a body that waits is a function* (yield* until(promise) in it)">;

/** @internal `primitive.with(body)`: see {@link Holding}. */
export function holding<R>(primitive: Acquirable, body: HeldBody<R>, what: string): Operation<R> {
  let coro: Coroutine<R>;
  if (typeof body === "function" && !isGeneratorFunction(body)) {
    refuseAsync(body, what);
    coro = plainBody(body as () => unknown, what) as Coroutine<R>;
  } else {
    coro = toCoroutine(body as TaskBody<R>, what);
  }
  return mustAwait(new Holding(primitive, coro), what);
}

/**
 * A plain function's body, run once held: a coroutine or Future it returns is awaited,
 * anything else is the value.
 */
function* plainBody(body: () => unknown, what: string): Coroutine<unknown> {
  const value = body();
  if (value instanceof Future || isCoroutine(value)) return yield* value as Coroutine<unknown>;
  refusePromiseFromBody(value, what);
  return value;
}
