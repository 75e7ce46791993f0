/**
 * The error types of wasyncio, named as in asyncio. Each one is a real `Error` subclass
 * with its own `name`, so `instanceof` and `err.name` both work. The name is a getter
 * on the prototype: no property per instance, and no statement outside the class, so a
 * bundler drops the classes a program does not use.
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
 * task.cancel("no longer needed");
 * ```
 */
export class CancelledError extends Error {
  constructor(message?: string) {
    super(message);
  }
  override get name(): string {
    return "CancelledError";
  }
}

// Errors the loop creates for its own cancellations carry no stack trace: capturing one
// costs microseconds, which would make cancelling 10,000 tasks slower than asyncio.
// Their `stack` reads as the name and message instead.
Object.defineProperty(CancelledError.prototype, "stack", {
  get(this: CancelledError): string {
    return this.message ? `${this.name}: ${this.message}` : this.name;
  },
  set(this: CancelledError, value: string) {
    Object.defineProperty(this, "stack", { value, writable: true, configurable: true });
  },
  configurable: true,
});

/** A CancelledError without a captured stack, for the loop's own cancellations. */
export function cancelledError(message: string | undefined): CancelledError {
  const error = Object.create(CancelledError.prototype) as CancelledError;
  if (message !== undefined) error.message = message;
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
  override get name(): string {
    return "InvalidStateError";
  }
}

/**
 * A deadline passed: raised by `waitFor` and by timeout scopes.
 * @example
 * ```ts
 * try { yield* waitFor(slowCall(), 1_000); } catch (e) { if (e instanceof TimeoutError) useCache(); }
 * ```
 */
export class TimeoutError extends Error {
  override get name(): string {
    return "TimeoutError";
  }
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
  override get name(): string {
    return "RuntimeError";
  }
}

/** For an error message where a promise was given: what to write instead. */
export function promiseHint(value: unknown): string {
  const async = value as { then?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (typeof async?.then === "function") return " (wrap a promise in until(promise); a task runs a function*, not an async function)";
  return typeof async?.[Symbol.asyncIterator] === "function" ? " (a task runs a function*, not an async function*)" : "";
}

/** Refuses what cannot be iterated, as `${what} takes an iterable of ${items}, got …`. */
export function checkIterable(value: unknown, what: string, items: string): void {
  if (typeof (value as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== "function") {
    throw new TypeError(`${what} takes an iterable of ${items}, got ${describe(value)}`);
  }
}

/** Describes a value for an error message: its type and a short rendering. */
export function describe(value: unknown): string {
  if (value == null) return String(value); // "null", "undefined"
  if (typeof value === "function") return `a function (${value.name || "anonymous"})`;
  if (typeof value === "object") {
    if (value instanceof Promise) return "a Promise";
    if (Object.prototype.toString.call(value) === "[object Generator]") return "a generator";
    const name = (value as object).constructor?.name;
    return name ? `an object of class ${name}` : "an object";
  }
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  return `${typeof value} ${String(value)}`;
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
  override get name(): string {
    return "ValueError";
  }
}

/**
 * A ContextVar was read where it has no value and no default (Python's LookupError).
 * @example
 * ```ts
 * new ContextVar<string>("user").get(); // throws LookupError
 * ```
 */
export class LookupError extends Error {
  override get name(): string {
    return "LookupError";
  }
}

/**
 * A Barrier was aborted or reset while tasks waited on it, or before they arrived.
 * @example
 * ```ts
 * try { yield* barrier.wait(); } catch (e) { if (e instanceof BrokenBarrierError) return; }
 * ```
 */
export class BrokenBarrierError extends Error {
  override get name(): string {
    return "BrokenBarrierError";
  }
}

/**
 * `getNowait()` on an empty queue.
 * @example
 * ```ts
 * new Queue().getNowait(); // throws QueueEmpty
 * ```
 */
export class QueueEmpty extends Error {
  override get name(): string {
    return "QueueEmpty";
  }
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
  override get name(): string {
    return "QueueFull";
  }
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
  override get name(): string {
    return "QueueShutDown";
  }
}

/**
 * Several errors at once, as a TaskGroup raises them (Python's ExceptionGroup). An
 * `AggregateError`, so `errors` works too; `exceptions` is the Python name.
 *
 * @example
 * ```ts
 * try { yield* taskGroup(function* (tg) { ... }); }
 * catch (error) { if (error instanceof ExceptionGroup) for (const e of error.exceptions) log(e); }
 * ```
 */
export class ExceptionGroup extends AggregateError {
  constructor(message: string, exceptions: readonly unknown[]) {
    super([...exceptions], `${message} (${exceptions.length} sub-exception${exceptions.length === 1 ? "" : "s"})`);
  }
  /** The errors, in the order they happened. */
  get exceptions(): readonly unknown[] {
    return this.errors;
  }
  override get name(): string {
    return "ExceptionGroup";
  }
}
