import { RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { ContextVar } from "./context-var.js";
import { callInContext, type ContextHolder, currentContext } from "./running.js";
import { Shown } from "./inspect-hook.js";

/**
 * A set of context variable values that code can run in (Python's `contextvars.Context`).
 * {@link Context.run} makes it current for the length of a call: {@link ContextVar} reads
 * and writes go to it, and what the call sets stays in it for the next `run`. A task
 * created with `{ context }` runs every step in it, so what the task sets is seen
 * through the context after.
 *
 * `new Context()` is empty; {@link copyContext} snapshots the current one.
 *
 * @example
 * ```ts
 * const user = new ContextVar<string>("user", { default: "anonymous" });
 * const context = copyContext();
 * context.run(() => user.set("ada"));
 * context.get(user); // "ada"
 * user.get(); // "anonymous": the caller's context is untouched
 * context.run(() => user.get()); // "ada"
 * ```
 */
export class Context extends Shown implements ContextHolder, Iterable<[ContextVar<unknown>, unknown]> {
  /** @internal Replaced, never mutated, as every holder's. */
  _context: ReadonlyMap<object, unknown> = new Map();
  /** @internal True during a `run` call, and during a step of a task created with this context. */
  _entered = false;

  /**
   * Calls `callback(...args)` in this context and returns what it returns. One context
   * can be entered only once at a time, as in Python.
   * @throws RuntimeError if the context is already entered: a `run` inside its own `run`,
   * or in a step of a task that runs in it.
   * @example
   * ```ts
   * const context = copyContext();
   * loop.callSoon(() => context.run(handleRequest, request)); // asyncio's call_soon(..., context=context)
   * ```
   */
  run<A extends unknown[], R>(callback: (...args: A) => R, ...args: A): R {
    if (typeof callback !== "function") {
      throw new TypeError(`Context.run() needs a function to call, got ${describe(callback)}`);
    }
    this._checkEnterable();
    this._entered = true;
    try {
      return callInContext(this, callback, args) as R;
    } finally {
      this._entered = false;
    }
  }

  /**
   * @internal Refuses a second entry, as Python does: inside this context's `run`, or in
   * a step of a task that runs in it (and in what that step runs: an eager child's first
   * step, another context's `run`).
   */
  _checkEnterable(): void {
    if (this._entered) {
      throw new RuntimeError(`cannot enter context: ${String(this)} is already entered`);
    }
  }

  /**
   * A new context with the same values (Python's `Context.copy()`).
   * @example
   * ```ts
   * const forWorker = context.copy(); // what the worker sets stays out of `context`
   * ```
   */
  copy(): Context {
    const copy = new Context();
    copy._context = this._context;
    return copy;
  }

  /**
   * The variable's value in this context, else `defaultValue` (undefined without one).
   * Unlike {@link ContextVar.get}, the variable's own default is not consulted, as in
   * Python.
   * @example
   * ```ts
   * context.get(user); // string | undefined
   * context.get(user, "nobody"); // string
   * ```
   */
  get<T>(variable: ContextVar<T>): T | undefined;
  get<T, D = T>(variable: ContextVar<T>, defaultValue: D): T | D;
  get<T>(variable: ContextVar<T>, defaultValue?: T): T | undefined {
    checkVariable(variable, "get");
    const values = this._context;
    return values.has(variable) ? (values.get(variable) as T) : defaultValue;
  }

  /**
   * Whether the variable has a value in this context (Python's `var in context`).
   * @example
   * ```ts
   * copyContext().has(user); // true once user.set() ran here or in a creator
   * ```
   */
  has(variable: ContextVar<unknown>): boolean {
    checkVariable(variable, "has");
    return this._context.has(variable);
  }

  /**
   * How many variables have a value in this context.
   * @example
   * ```ts
   * new Context().size; // 0
   * ```
   */
  get size(): number {
    return this._context.size;
  }

  /**
   * The variables that have a value in this context.
   * @example
   * ```ts
   * for (const variable of copyContext().keys()) console.log(variable.name);
   * ```
   */
  keys(): IterableIterator<ContextVar<unknown>> {
    return (this._context as ReadonlyMap<ContextVar<unknown>, unknown>).keys();
  }

  /**
   * The values set in this context.
   * @example
   * ```ts
   * [...copyContext().values()];
   * ```
   */
  values(): IterableIterator<unknown> {
    return this._context.values();
  }

  /**
   * `[variable, value]` pairs, as a `Map` iterates.
   * @example
   * ```ts
   * for (const [variable, value] of copyContext()) console.log(variable.name, value);
   * ```
   */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return (this._context as ReadonlyMap<ContextVar<unknown>, unknown>).entries();
  }

  /**
   * Iterates `[variable, value]` pairs, as {@link entries}.
   * @example
   * ```ts
   * const values = new Map(copyContext()); // ContextVar -> value
   * ```
   */
  [Symbol.iterator](): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this.entries();
  }

  /**
   * `<Context size=N>`, for messages and logs.
   * @example
   * ```ts
   * String(new Context()); // "<Context size=0>"
   * ```
   */
  override toString(): string {
    return `<Context size=${this._context.size}>`;
  }
}

/**
 * A snapshot of the current context: the values the code running now sees (Python's
 * `contextvars.copy_context()`). Later sets on either side do not show in the other.
 *
 * @example
 * ```ts
 * requestId.set("r-17");
 * const context = copyContext();
 * loop.callLater(1_000, () => context.run(() => log(requestId.get()))); // "r-17"
 * ```
 */
export function copyContext(): Context {
  const context = new Context();
  context._context = currentContext();
  return context;
}

/**
 * Refuses what is not a ContextVar, as Python's `Context` refuses a key that is not one:
 * a name (`context.get("user")`) would find nothing, and say nothing.
 */
function checkVariable(variable: unknown, method: string): void {
  if (!(variable instanceof ContextVar)) {
    throw new TypeError(`Context.${method}() needs a ContextVar, got ${describe(variable)}`);
  }
}
