// ExceptionGroup extends AggregateError (ES2021): the declarations name it, so a project
// whose lib is older still gets it, rather than an ExceptionGroup without an Error's members.
/// <reference lib="es2021.promise" preserve="true" />
import { describe } from "./describe.js";
/**
 * The error types of wasyncio, named as in asyncio. Each one is a real `Error` subclass
 * with its own `name`, so `instanceof` and `err.name` both work. The name is a field, set
 * on each error: JavaScriptCore (Bun, Safari) prints an error whose name is an inherited
 * getter as plain "Error". A field is no statement outside the class either, so a bundler
 * still drops the classes a program does not use. CancelledError alone keeps a getter:
 * the loop makes its own without running the constructor (see `cancelledError`).
 */

/**
 * Thrown into a task at its suspension point when it is cancelled. Catch it only to
 * clean up, then rethrow it (or let `finally` run): swallowing it makes the task go on.
 *
 * @example
 * ```ts
 * const task = createTask(function* () {
 *   try { yield* sleep(10_000); } finally { console.log("cleaned up"); }
 * }());
 * yield* sleep(0); // the task starts, and waits in its `try`
 * task.cancel("no longer needed"); // at its next step it logs "cleaned up"; awaiting it throws this error
 * ```
 * (A task cancelled before its first step never runs its body, as in asyncio.)
 */
export class CancelledError extends Error {
  constructor(message?: string) {
    super(message);
  }
  override get name(): string {
    return "CancelledError";
  }
  // Errors the loop creates for its own cancellations carry no stack trace: capturing one
  // costs microseconds, which would make cancelling 10,000 tasks slower than asyncio.
  // Their `stack` reads as the name and message instead. (An accessor of the class, not
  // one defined on its prototype afterwards: a statement outside the class would keep
  // bundlers from dropping the class from programs that never use it.) One made by the
  // constructor has a stack of its own, which hides this.
  override get stack(): string {
    return this.message ? `${this.name}: ${this.message}` : this.name;
  }
  override set stack(value: string) {
    Object.defineProperty(this, "stack", { value, writable: true, configurable: true });
  }
}

/** A CancelledError without a captured stack, for the loop's own cancellations. */
export function cancelledError(message: string | undefined): CancelledError {
  const error = Object.create(CancelledError.prototype) as CancelledError;
  // null too: a message left out, as asyncio's None. A number or an object from plain
  // JavaScript becomes its text, as an Error's message does (and asyncio's str(error)).
  // One whose text cannot be had (its toString throws, a revoked Proxy) is described
  // instead: the cancellation must still be delivered.
  if (message != null) {
    try {
      error.message = String(message);
    } catch {
      error.message = describe(message);
    }
  }
  return error;
}

/**
 * An operation that the object's state does not allow, e.g. `result()` before it is done.
 * @example
 * ```ts
 * try { future.setResult(2); } catch (e) { e instanceof InvalidStateError; } // it had a result already
 * ```
 */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/**
 * A deadline passed: raised by `waitFor` and by timeout scopes.
 * @example
 * ```ts
 * try {
 *   yield* waitFor(slowCall(), 1_000);
 * } catch (e) {
 *   if (!(e instanceof TimeoutError)) throw e; // a CancelledError, above all, goes on
 *   useCache();
 * }
 * ```
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Thrown into a producer where it emitted when its reader leaves early (forAwait's body
 * returned false, threw, or was cancelled), as Python throws GeneratorExit into an async
 * generator that `aclose()` closes: its `finally` blocks run, and may wait, then it ends.
 * A `catch` in a producer that does not mean to end it must throw this one on, as it
 * would a CancelledError.
 *
 * @example
 * ```ts
 * function* lines(file: FileLike) {
 *   try {
 *     for (;;) yield* emit(yield* until(file.readLine()));
 *   } catch (error) {
 *     if (error instanceof GeneratorExit || error instanceof CancelledError) throw error;
 *     yield* emit(`unreadable: ${error}`);
 *   } finally {
 *     yield* until(file.close()); // runs when the reader stops early, too
 *   }
 * }
 * ```
 */
export class GeneratorExit extends Error {
  override name = "GeneratorExit";
}

/**
 * A GeneratorExit without a captured stack, for closing a producer: capturing one took
 * most of the time a `forAwait` that leaves early takes (15 µs against 4). Its `stack`
 * is its name and message, as a CancelledError's of the loop's own.
 */
export function generatorExit(message: string): GeneratorExit {
  const error = Object.create(GeneratorExit.prototype) as GeneratorExit;
  error.name = "GeneratorExit"; // an own, enumerable field, as the class makes it
  // Own but not enumerable, as an Error's are: not listed by Object.keys or JSON. (One
  // defineProperty each: a defineProperties of spread descriptors took as long as
  // capturing a stack.)
  Object.defineProperty(error, "message", { value: message, writable: true, configurable: true });
  Object.defineProperty(error, "stack", { value: `GeneratorExit: ${message}`, writable: true, configurable: true });
  return error;
}

/**
 * The event loop was misused: closed, already running, or run from inside a running loop.
 * @example
 * ```ts
 * loop.close();
 * loop.callSoon(tick); // throws RuntimeError("Event loop is closed")
 * ```
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * The error of a coroutine stepped again while it waits in `what`, by a second driver
 * (a task's generator given to `yield*` or to `createTask` again): the awaitable it waits
 * on tells the task that stepped it (see `SteppedTwice`), which fails with this.
 */
export function resumedElsewhere(what: string): RuntimeError {
  return new RuntimeError(`coroutine is being awaited already: stepped again while it waits in ${what} (yield* its task, not the generator)`);
}

/** Whether `value` has a `then` to call: a promise, a Future, or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as Partial<PromiseLike<unknown>> | null)?.then === "function";
}

/**
 * Refuses a promise returned by a plain function given as a body (`forAwait`'s, a lock's
 * `with`): the work it started would run out of reach, and nothing would wait for it.
 * (A Future is waited for; the callers take it first.)
 */
export function refusePromiseFromBody(value: unknown, what: string): void {
  if (isThenable(value)) {
    throw new TypeError(`${what}'s body returned ${describe(value)}: a body that waits is a function* (yield* until(promise) in it)`);
  }
}

/** For an error message where a promise was given: what to write instead. */
export function promiseHint(value: unknown): string {
  if (isThenable(value)) return " (wrap a promise in until(promise); a task runs a function*, not an async function)";
  const asyncIterable = typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
  return asyncIterable ? " (a task runs a function*, not an async function*)" : "";
}

/** Refuses what cannot be iterated, as `${what} takes an iterable of ${items}, got …`. */
export function checkIterable(value: unknown, what: string, items: string): void {
  if (typeof (value as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== "function") {
    throw new TypeError(`${what} takes an iterable of ${items}, got ${describe(value)}`);
  }
}

/**
 * `error instanceof CancelledError`, false rather than a throw for a revoked Proxy thrown
 * as an error (`instanceof` asks it for its prototype): a task that throws one fails with
 * it, instead of the check failing inside the loop and leaving the task pending forever.
 */
export function isCancelledError(error: unknown): error is CancelledError {
  try {
    return error instanceof CancelledError;
  } catch {
    return false;
  }
}

/**
 * A bound was passed, e.g. releasing a BoundedSemaphore more times than it was acquired
 * (Python's ValueError).
 * @example
 * ```ts
 * new BoundedSemaphore(1).release(); // throws ValueError("BoundedSemaphore released too many times")
 * ```
 */
export class ValueError extends Error {
  override name = "ValueError";
}

/**
 * The error for a number argument that is refused: a TypeError when `value` is no number
 * at all, else `OutOfRange` (a RangeError, or a ValueError where asyncio raises one).
 */
export function refusedNumber(value: unknown, message: string, OutOfRange: new (message: string) => Error = RangeError): Error {
  return typeof value === "number" ? new OutOfRange(message) : new TypeError(message);
}

/**
 * `what` was given a future of a loop other than the one it waits on. A ValueError, as
 * asyncio's `ensure_future` raises: a future's callbacks run on its own loop, so waiting
 * for it from this one could never end.
 */
export function otherLoopError(what: string, future: { toString(): string }): ValueError {
  return new ValueError(`${what} got ${String(future)}, attached to a different loop`);
}

/**
 * A ContextVar was read where it has no value and no default (Python's LookupError).
 * @example
 * ```ts
 * new ContextVar<string>("user").get(); // throws LookupError
 * ```
 */
export class LookupError extends Error {
  override name = "LookupError";
}

/**
 * A Barrier was aborted or reset while tasks waited on it, or before they arrived.
 * @example
 * ```ts
 * try {
 *   yield* barrier.wait();
 * } catch (e) {
 *   if (!(e instanceof BrokenBarrierError)) throw e; // a CancelledError, above all, goes on
 *   return; // the others will not come
 * }
 * ```
 */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
}

/**
 * `getNowait()` on an empty queue.
 * @example
 * ```ts
 * new Queue().getNowait(); // throws QueueEmpty
 * ```
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
}

/**
 * `putNowait()` on a full queue.
 * @example
 * ```ts
 * const queue = new Queue<number>(1);
 * queue.putNowait(1);
 * queue.putNowait(2); // throws QueueFull
 * ```
 */
export class QueueFull extends Error {
  override name = "QueueFull";
}

/**
 * A put or get on a queue that was shut down (asyncio 3.13).
 * @example
 * ```ts
 * queue.shutdown();
 * yield* queue.put(job); // throws QueueShutDown
 * ```
 */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
}

/** An error class, as {@link ErrorMatch} takes it. */
type ErrorClass<M = unknown> = abstract new (...args: never[]) => M;

/**
 * What picks errors out of an {@link ExceptionGroup}: an error class (matched with
 * `instanceof`), a list of them (any one matches, as Python's tuple), or a predicate.
 */
export type ErrorMatch = ErrorClass | readonly ErrorClass[] | ((error: unknown) => boolean);

/**
 * Several errors at once, as a TaskGroup raises them (Python's ExceptionGroup). An
 * `AggregateError`, so `errors` works too; `exceptions` is the Python name. What
 * Python's `except*` does is `split()`: the errors that match, and the rest.
 *
 * @example
 * ```ts
 * try {
 *   yield* taskGroup(function* (tg) { ... });
 * } catch (error) {
 *   if (!(error instanceof ExceptionGroup)) throw error;
 *   const [timeouts, rest] = error.split(TimeoutError); // except* TimeoutError:
 *   if (timeouts !== null) console.warn(`${timeouts.exceptions.length} timed out`);
 *   if (rest !== null) throw rest;
 * }
 * ```
 */
export class ExceptionGroup<E = unknown> extends AggregateError {
  /** The message as it was given, without the count of errors that `message` adds. */
  readonly baseMessage: string;

  /**
   * @param message What went wrong, in general; `message` adds the count of errors.
   * @param exceptions The errors (at least one), groups among them.
   * @example
   * ```ts
   * throw new ExceptionGroup("2 uploads failed", [errorA, errorB]);
   * ```
   */
  constructor(message: string, exceptions: readonly (E | ExceptionGroup<E>)[]) {
    if (typeof message !== "string") throw new TypeError(`new ExceptionGroup() needs a message, got ${describe(message)}`);
    // As Python's: the wrong kind of value is a TypeError, an empty list a ValueError.
    if (!Array.isArray(exceptions)) throw new TypeError(`new ExceptionGroup() needs an array of errors, got ${describe(exceptions)}`);
    if (exceptions.length === 0) throw new ValueError("new ExceptionGroup() needs a non-empty array of errors, got an empty one");
    super([...exceptions], `${message} (${exceptions.length} sub-exception${exceptions.length === 1 ? "" : "s"})`);
    this.baseMessage = message;
  }
  /** The errors, in the order they happened (Python's `exceptions`): `E`s, and groups of them. */
  get exceptions(): readonly (E | ExceptionGroup<E>)[] {
    return this.errors;
  }
  override name = "ExceptionGroup";

  /**
   * `instanceof`, as for any class; declared so that `error instanceof ExceptionGroup`
   * narrows a caught `unknown` to `ExceptionGroup<unknown>`, whose errors must be looked
   * at before use, rather than to `ExceptionGroup<any>` (a subclass narrows to itself).
   * @example
   * ```ts
   * if (error instanceof ExceptionGroup) for (const inner of error.exceptions) report(inner); // inner: unknown
   * ```
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /**
   * The errors that match, nested groups kept as groups (Python's `subgroup`): this group
   * itself if it matches as a whole, null if no error does.
   * @example
   * ```ts
   * const timeouts = group.subgroup(TimeoutError); // an ExceptionGroup, or null
   * ```
   */
  subgroup(match: (error: unknown) => boolean): ExceptionGroup<E> | null;
  subgroup<M>(match: ErrorClass<M> | readonly ErrorClass<M>[]): ExceptionGroup<M> | null;
  subgroup(match: ErrorMatch): ExceptionGroup<unknown> | null;
  subgroup(match: ErrorMatch): ExceptionGroup<unknown> | null {
    return this.split(match)[0];
  }

  /**
   * The errors that match and the rest, each as a group with this one's message (or null
   * when it would be empty), nested groups split the same way (Python's `split`, which
   * is what `except*` does).
   * @example
   * ```ts
   * const [cancelled, rest] = group.split((error) => error instanceof CancelledError);
   * const [bad, others] = group.split([TypeError, RangeError]); // Python: split((TypeError, ValueError))
   * ```
   */
  split(match: (error: unknown) => boolean): [ExceptionGroup<E> | null, ExceptionGroup<E> | null];
  split<M>(match: ErrorClass<M> | readonly ErrorClass<M>[]): [ExceptionGroup<M> | null, ExceptionGroup<E> | null];
  split(match: ErrorMatch): [ExceptionGroup<unknown> | null, ExceptionGroup<unknown> | null];
  split(match: ErrorMatch): [ExceptionGroup<unknown> | null, ExceptionGroup<unknown> | null] {
    const classes = Array.isArray(match) ? match : isClass(match) ? [match] : null;
    if (classes === null ? typeof match !== "function" : !classes.every(isClass)) {
      throw new TypeError(`ExceptionGroup.split() needs an error class, a list of them, or a predicate, got ${describe(match)}`);
    }
    const matches = (error: unknown): boolean =>
      classes !== null ? classes.some((kind) => error instanceof kind) : (match as (error: unknown) => boolean)(error);
    if (matches(this)) return [this, null];
    const matched: unknown[] = [];
    const rest: unknown[] = [];
    for (const error of this.errors) {
      if (error instanceof ExceptionGroup) {
        const [inner, outer] = error.split(match);
        if (inner !== null) matched.push(inner);
        if (outer !== null) rest.push(outer);
      } else {
        (matches(error) ? matched : rest).push(error);
      }
    }
    // New groups even when one part has everything, as in Python: only a group that
    // matches as a whole is passed on as itself.
    return [matched.length > 0 ? this.part(matched) : null, rest.length > 0 ? this.part(rest) : null];
  }

  /** A part of this group, as `split` makes them: derived, with this group's cause and stack. */
  private part(exceptions: readonly unknown[]): ExceptionGroup {
    const part = this.derive(exceptions);
    if ("cause" in this) part.cause = this.cause;
    if (this.stack !== undefined) part.stack = this.stack;
    return part;
  }

  /**
   * A group of `exceptions` with this one's message (Python's `derive`), which
   * `split` and `subgroup` make their parts with (then giving each this group's cause
   * and stack). A subclass overrides it to keep its class and fields in the parts.
   * @example
   * ```ts
   * class RequestErrors extends ExceptionGroup {
   *   constructor(message: string, errors: readonly unknown[], readonly url: string) {
   *     super(message, errors);
   *   }
   *   override derive(errors: readonly unknown[]): RequestErrors {
   *     return new RequestErrors(this.baseMessage, errors, this.url);
   *   }
   * }
   * ```
   */
  derive(exceptions: readonly unknown[]): ExceptionGroup {
    return new ExceptionGroup(this.baseMessage, exceptions);
  }
}

/**
 * Whether `match` is a class (matched by `instanceof`) rather than a predicate to call:
 * an Error class, one written with `class`, or a host's own (`Response`, `DOMException`),
 * which is native code, and in some engines (JavaScriptCore) not written as a class.
 */
function isClass(match: unknown): match is ErrorClass {
  if (typeof match !== "function") return false;
  if (typeof match.prototype !== "object" || match.prototype === null) return false; // an arrow function
  if (match === Error || match.prototype instanceof Error) return true;
  const source = Function.prototype.toString.call(match);
  return source.startsWith("class") || source.includes("[native code]");
}
