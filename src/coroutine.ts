import { promiseHint } from "./errors.js";
import { describe, functionName } from "./describe.js";
import { Future } from "./future.js";
import type { Operation } from "./operation.js";
import type { Emitted } from "./producer.js";

/**
 * The key of {@link UseYieldStar}'s brand, and of the ones Future and Operation carry to
 * say why they are not it: a type only, with no value at run time.
 */
export declare const yieldedByYieldStar: unique symbol;

/**
 * What the runtime's awaitables (a Future or Task, `sleep()`, every operation) yield to
 * the task that runs them, when a coroutine awaits them with `yield*`. No value has this
 * type but those: it exists so that a coroutine that yields anything else, such as
 * `yield sleep(10)` or `yield task` where `yield*` was meant, fails to compile (the
 * message names this type). A bare `yield;` (let the other ready tasks run) is allowed:
 * see {@link Yielded}. Annotate a coroutine as `Coroutine<T>` (or `Generator<Yielded,
 * T>`), not `Generator<UseYieldStar, T>`: operations are typed as yielding `Yielded`,
 * which takes in that bare `yield;`.
 */
export interface UseYieldStar {
  readonly [yieldedByYieldStar]: "yielded by yield* of an awaitable";
}

/** What a coroutine may yield: what `yield*` of an awaitable yields, or a bare `yield;`. */
export type Yielded = UseYieldStar | undefined;

/**
 * @internal A hand-written awaitable (a lock's acquire, a queue's get) that is its own
 * "park the task on `value`" result, typed as the {@link UseYieldStar} it hands the task.
 */
export type Parked = IteratorYieldResult<UseYieldStar>;

/**
 * A coroutine: what calling a `function*` returns (`T` is what it returns), or any
 * iterator with the same `next`/`throw` protocol. `Y` is what it yields: what a task
 * awaits, unless it is the body of a scope inside a producer, which may emit too
 * (see {@link ScopeYielded}).
 */
export interface Coroutine<T = unknown, Y = Yielded> extends Iterator<Y, T, unknown> {
  next(...args: [] | [unknown]): IteratorResult<Y, T>;
  throw(error: unknown): IteratorResult<Y, T>;
  [Symbol.iterator](): Iterator<Y, T, unknown>;
}

/**
 * What a task can run: a coroutine, or a function of no arguments that returns one (or
 * returns a Future, such as `() => gather([...])`).
 */
export type TaskBody<T> = Coroutine<T> | (() => Coroutine<T>) | (() => Future<T>);

/**
 * What `run()` and its kin take: a {@link TaskBody} whose result is a value. One whose
 * coroutine returns a Future, Task, promise or generator (`return gather(...)` or `return
 * inner()`, where `return yield* ...` was meant) fails to compile, as it fails at run
 * time: a promise cannot resolve to a Future or promise without waiting for it, after the
 * loop stopped, and a generator would run nothing.
 */
export type MainBody<T> = TaskBody<T> &
  (IsAwaitable<T> extends true
    ? "returns a Future, Task, operation, generator or promise instead of its value: return yield* it (a promise: yield* until(it))"
    : unknown);

/**
 * Whether T is, or may be (a union), a Future, promise, operation or coroutine type; not
 * for `never` (a body that never returns) nor `any`.
 */
type IsAwaitable<T> = [T] extends [never]
  ? false
  : 0 extends 1 & T
    ? false
    : true extends (T extends PromiseLike<unknown> | Operation<unknown> | Coroutine<unknown> ? true : false)
      ? true
      : false;

/** True for a generator or anything else that speaks the coroutine protocol. */
export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Coroutine<unknown>).next === "function" &&
    typeof (value as Coroutine<unknown>).throw === "function" &&
    typeof (value as Coroutine<unknown>)[Symbol.iterator] === "function"
  );
}

/**
 * The coroutine a task steps. A generator function is called at once (that runs none of
 * its body). Any other function is called in the task's first step, where the running
 * loop exists, and what it returns is awaited.
 */
export function toCoroutine<T>(body: TaskBody<T>, what: string): Coroutine<T> {
  if (typeof body === "function") {
    if (isGeneratorFunction(body)) {
      return checkedCoroutine((body as () => Coroutine<T>)(), what);
    }
    refuseAsync(body, what);
    return callInTask(body as () => Coroutine<T> | Future<T>, what);
  }
  return checkedCoroutine(body, what);
}

/**
 * The constructor of this realm's `function*`s. Only compared, never called (calling it
 * would compile code from a string, which strict CSP and edge hosts forbid).
 */
const GeneratorFunction: unknown = /* @__PURE__ */ (() => Object.getPrototypeOf(function* () {}).constructor)();

/**
 * True for a `function*` of this realm (a method or a bound one too): about 3 ns, where
 * checking `Object.prototype.toString` for "[object GeneratorFunction]" took 100. A
 * generator function of another realm (an iframe's) is taken for a plain function, which
 * works the same: it is called in the task's first step and its generator run there.
 */
export function isGeneratorFunction(fn: Function): boolean {
  return fn.constructor === GeneratorFunction;
}

/**
 * @internal Refuses a `function*` given as a loop or done callback (`method` names where):
 * called, it would only make a generator and run nothing, silently. The types refuse it
 * (see LoopCallback); this is for plain JavaScript, as asyncio warns of a coroutine that
 * is never awaited. `byName` (in debug mode) also catches another realm's function* and
 * an async one, at the cost of reading the constructor's name.
 */
export function refuseGeneratorCallback(callback: Function, method: string, byName = false): void {
  let isGenerator: boolean | undefined;
  try {
    isGenerator = byName ? callback.constructor?.name?.endsWith("GeneratorFunction") : isGeneratorFunction(callback);
  } catch {
    // A revoked Proxy: scheduled as it is, its call fails and is reported like any other.
  }
  if (isGenerator) throw new TypeError(`${method}() got a function*, which runs nothing when called: pass a plain function, which may createTask() one`);
}

function* callInTask<T>(body: () => Coroutine<T> | Future<T>, what: string): Coroutine<T> {
  return yield* awaitable(body(), what);
}

/**
 * A coroutine for what a body function returned: a coroutine as it is, a Future awaited.
 * Anything else is refused as the function's return value: the function has run by now
 * (`lock.with(() => { n++; })`, a plain function where a `function*` was meant).
 */
function awaitable<T>(value: unknown, what: string): Coroutine<T> {
  return value instanceof Future
    ? awaitFuture(value as Future<T>)
    : checkedCoroutine<T>(value, what, " from its body, a plain function (make it a function*)");
}

function* awaitFuture<T>(future: Future<T>): Coroutine<T> {
  return yield* future;
}

/**
 * `value` if it is a coroutine; else a TypeError that names what `what` got instead, and
 * `from`, where it came from.
 */
export function checkedCoroutine<T>(value: unknown, what: string, from = ""): Coroutine<T> {
  if (isCoroutine(value)) return value as Coroutine<T>;
  // A Future describes itself (`<Task pending name=x>`): its class name is an internal one.
  const got =
    value instanceof Future
      ? `${String(value)} (a Future is awaited, not run: yield* it, or pass () => future)`
      : describe(value) + promiseHint(value);
  throw new TypeError(`${what} needs a generator (call a function* to get one), got ${got}${from}`);
}

/**
 * The body of a scope (`timeout`, `taskGroup`): a coroutine, or a function given the
 * scope that returns a coroutine or a Future. `Y` is what the coroutine yields (see
 * {@link ScopeYielded}).
 */
export type ScopeBody<S, T, Y = Yielded> = Coroutine<T, Y> | ((scope: S) => Coroutine<T, Y> | Future<T>);

/**
 * What the body of a scope (`timeout`, `taskGroup`, `lock.with`...) may yield: what a
 * coroutine may, and, in a producer, the items it emits from inside the scope.
 */
export type ScopeYielded = Yielded | Emitted<unknown>;

/**
 * An operation whose body may emit: an {@link Operation} that gives `T` when `E`, the
 * items it emits, is `never`; else a producer of those items that returns `T`, which a
 * producer `yield*`s to emit them (and which no task can run, nor `await` take).
 */
export type EmittingOperation<T, E> = [E] extends [never]
  ? Operation<T>
  : Generator<Yielded | E, T, unknown> & Pick<Operation<T>, "then">;

/**
 * What a scope whose body yields `Y` is: an operation, or, when the body emits, a
 * producer of what it emits (`yield* timeout(ms, function* () { yield* emit(x); })` in
 * a producer emits `x`).
 */
export type ScopeOperation<T, Y> = EmittingOperation<T, Extract<Y, Emitted<unknown>>>;

/**
 * Refuses an AsyncFunction or AsyncGeneratorFunction before it is called: called, its
 * work would start at once, out of reach of cancellation, and its promise fail later
 * instead of this call.
 */
export function refuseAsync(body: unknown, what: string): void {
  const kind: unknown = typeof body === "function" ? body.constructor?.name : undefined;
  if (typeof kind === "string" && kind.startsWith("Async")) {
    const star = kind === "AsyncGeneratorFunction" ? "*" : "";
    throw new TypeError(`${what} needs a function*, got an async function${star} (${functionName(body as Function) || "anonymous"})`);
  }
}

/**
 * Refuses what cannot be a scope's body (`taskGroup`, `timeout`, `abortable`) when the
 * scope is made, not once it has started: inside a TaskGroup, the refusal would come
 * back wrapped in an ExceptionGroup. A body is a function (a `function*` given the scope,
 * or one returning a Future; not an async one) or a generator.
 */
export function checkScopeBody(body: unknown, what: string): void {
  if (typeof body === "function") refuseAsync(body, what);
  else if (!isCoroutine(body)) {
    // A Future (`timeout(ms, until(p))`) is awaited by a body, not run as one. Its work
    // began when it was made, and nothing here stops it: the message says so.
    const got = body instanceof Future
      ? `${String(body)}, whose work began already and goes on (pass () => future, or use waitFor())`
      : describe(body) + promiseHint(body);
    throw new TypeError(`${what} needs a function* or a generator, got ${got}`);
  }
}

/** The coroutine of a scope's body, checked. */
export function scopeBody<S, T>(body: ScopeBody<S, T>, scope: S, what: string): Coroutine<T> {
  return awaitable(typeof body === "function" ? body(scope) : body, what);
}
