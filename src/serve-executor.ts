import { ourErrorClass } from "./errors-by-name.js";
import { describe } from "./describe.js";
import {
  type ClosingMessage,
  type InnerError,
  type JobMessage,
  listen,
  type OutcomeMessage,
  type PortLike,
  type ServingMessage,
  type UnreadableMessage,
  unreadableReason,
} from "./worker-port.js";
import type { WorkerFunctions } from "./worker-executor.js";

/**
 * The worker's side of a {@link WorkerExecutor}: answers its calls with `functions`. A
 * function may return a promise; what it throws (or rejects with) goes back to the
 * caller, an Error with its name, message and own fields (such as `code`). Call it once, at the top
 * of the worker module. `port` is the worker's global scope by default; under
 * `node:worker_threads` pass `parentPort`. The worker may close itself (`self.close()`,
 * `parentPort.close()`): the executor is told, fails the call it was running, and sends
 * the next one to a new worker.
 *
 * @example
 * ```ts
 * // hash.worker.ts
 * import { serveExecutor } from "wasyncio";
 * export const functions = {
 *   sha256(text: string): string { return slowHash(text); },
 * };
 * serveExecutor(functions); // node:worker_threads: serveExecutor(functions, parentPort!)
 * ```
 */
export function serveExecutor<F extends WorkerFunctions<F>>(functions: F, port: PortLike = globalThis as unknown as PortLike): void {
  if (typeof functions !== "object" || functions === null) {
    throw new TypeError(`serveExecutor() needs an object of functions, got ${describe(functions)}`);
  }
  if (port === globalThis && typeof (port as { addEventListener?: unknown }).addEventListener !== "function") {
    // Node's global scope, in the main thread or in a node:worker_threads worker.
    throw new TypeError(
      "serveExecutor() without a port serves a Web Worker's global scope, and this one takes no messages: under node:worker_threads, pass parentPort, serveExecutor(functions, parentPort!)",
    );
  }
  // The executor is told once the module's synchronous code has run to its end, which a
  // module that fails in code after this call never does: by a timer, or by the first
  // call, whichever comes first (a call is dispatched only once that code is over). A
  // module that awaits at its top level serves already while it awaits.
  let served = false;
  const serve = (): void => {
    if (served) return;
    served = true;
    const serving: ServingMessage = { serving: true };
    try {
      port.postMessage(serving);
    } catch {
      // closed already, by the module itself: the executor was told then
    }
  };
  listen(
    port,
    "message",
    (data) => {
      // What else the worker is sent (by the program's own code) is not a call.
      if (!isJob(data)) return;
      serve();
      void answer(functions as WorkerFunctions, port, data);
    },
    "serveExecutor()",
  );
  // A call whose arguments cannot be made again here has no id to answer to: the
  // executor is told, and fails the call it sent this worker (see UnreadableMessage).
  listen(port, "messageerror", (reason) => tell(port, { unreadable: unreadableReason(reason) }), "serveExecutor()");
  // The port's close() (a worker's global scope, where `self.close()` and a bare
  // `close()` both find it, or node's `parentPort`) tells the executor first.
  tellFirst(port, port, "close", () => "it closed itself (close())");
  // A Web Worker that exits (Deno.exit, or process.exit where a host has it) ends with no
  // event its owner sees on Deno: the pool is told first, as for close(). node's
  // parentPort needs none of this, since its Worker emits "exit".
  if (port === globalThis) {
    const host = globalThis as { Deno?: object; process?: object };
    for (const [owner, name] of [[host.Deno, "Deno.exit"], [host.process, "process.exit"]] as const) {
      tellFirst(port, owner, "exit", (args) => `it exited (${name}(${args.map(String).join(", ")}))`);
    }
  }
  setTimeout(serve, 0);
}

/**
 * Makes `owner[method]` tell the executor, `how` it ends, before it runs (see
 * {@link ClosingMessage}); nothing if the owner has no such method.
 */
function tellFirst(port: PortLike, owner: object | undefined, method: "close" | "exit", how: (args: unknown[]) => string): void {
  const target = owner as Record<string, unknown> | undefined;
  const original = target?.[method];
  if (typeof original !== "function") return;
  target![method] = function (this: unknown, ...args: unknown[]): unknown {
    tellClosing(port, how(args));
    return original.apply(this, args);
  };
}

/** Tells the executor this worker will answer no more (see {@link ClosingMessage}). */
function tellClosing(port: PortLike, how: string): void {
  tell(port, { closing: true, how });
}

/** Posts one of serveExecutor's own messages; a port closed already drops it. */
function tell(port: PortLike, message: ClosingMessage | UnreadableMessage): void {
  try {
    port.postMessage(message);
  } catch {
    // closed already: the executor was told then
  }
}

function isJob(data: unknown): data is JobMessage {
  return typeof (data as JobMessage | null)?.id === "number" && Array.isArray((data as JobMessage).args);
}

async function answer(functions: WorkerFunctions, port: PortLike, job: JobMessage): Promise<void> {
  let outcome: OutcomeMessage;
  try {
    const fn = Object.hasOwn(functions, job.name) ? functions[job.name] : undefined;
    if (typeof fn !== "function") {
      throw new TypeError(`this worker has no function ${job.name}; it serves ${Object.keys(functions).join(", ") || "none"}`);
    }
    // Called as a method of `functions`, so one may use `this` for its neighbours.
    const value: unknown = await fn.apply(functions, job.args);
    if (Object.prototype.toString.call(value) === "[object Generator]") {
      // A function* served by mistake: its generator cannot be sent, nor has it run.
      throw new TypeError(
        `${job.name} returned a generator (is it a function*?), which runs nothing: serve a plain or async function, which may run() a function* on a loop of the worker's own`,
      );
    }
    outcome = { id: job.id, ok: true, value };
  } catch (error) {
    outcome = { id: job.id, ok: false, ...innerOf(error) };
  }
  try {
    // A failure is cloned here first: one whose clone cannot be made again on the
    // other side (a `cause` chain that is a cycle, on Node 20) would never arrive.
    if (!outcome.ok) structuredClone(outcome);
    port.postMessage(outcome);
    return;
  } catch (error) {
    if (!outcome.ok) {
      // An error that holds what cannot be cloned (a `cause` that is a function, say)
      // goes as a plain Error of its message and stack: its name, class and fields still
      // travel beside it, and only the part that cannot is lost (a cycle of causes is
      // cut where it closes). So do a group's errors.
      try {
        port.postMessage({ ...outcome, ...plainInner(outcome) });
        return;
      } catch {}
    }
    // The result (or the error) cannot be cloned, a function say: the call fails with why.
    const what = outcome.ok ? "the result of" : "the error thrown by";
    port.postMessage({ id: job.id, ok: false, error: new TypeError(`${what} ${job.name} cannot be sent back: ${String(error)}`) });
  }
}

/**
 * `inner` as it can be cloned: its error a {@link plainCopy}, and a group's errors each
 * the same (one that is no Error and cannot be cloned, a function say, becomes a
 * TypeError that says so). Throws if `inner`'s own error is no Error.
 */
function plainInner(inner: InnerError): InnerError {
  return {
    ...inner,
    error: plainCopy(inner.error),
    errors: inner.errors?.map(plainOrCloneable),
    cause: inner.cause === undefined ? undefined : plainOrCloneable(inner.cause),
  };
}

function plainOrCloneable(inner: InnerError): InnerError {
  if (inner.error instanceof Error) return plainInner(inner);
  if (cloneable(inner.error)) return inner;
  return { error: new TypeError(`${describe(inner.error)} cannot be sent back`) };
}

/**
 * An Error with `error`'s message and stack only (its fields go beside it); a TypeError
 * if it is no Error. A stack that cannot be read (V8 formats it with the error's `name`,
 * whose getter may throw) is left out.
 */
function plainCopy(error: unknown): Error {
  if (!(error instanceof Error)) throw new TypeError("not an Error");
  const copy = new Error(error.message);
  try {
    if (error.stack !== undefined) copy.stack = error.stack;
  } catch {}
  return copy;
}

/** What was thrown, as a worker sends it: see {@link InnerError}. */
function innerOf(error: unknown, path?: Set<unknown>): InnerError {
  return { error: withErrorData(error), ...failureOf(error, path) };
}

/**
 * `error`, or a {@link plainCopy} of it if it is an Error made without the Error
 * constructor: the runtime's own CancelledError and GeneratorExit (made without a stack,
 * which is costly to capture) clone as bare objects, no longer Errors. One that is a real
 * Error, a DOMException or any other value goes as it is.
 */
function withErrorData(error: unknown): unknown {
  try {
    return error instanceof Error && Object.prototype.toString.call(error) === "[object Object]" ? plainCopy(error) : error;
  } catch {
    return error; // a revoked Proxy: it fails to clone, which the caller is told of
  }
}

/**
 * An error's fields and kind, which its clone would lose (see {@link fieldsOf}), the
 * errors of an AggregateError or ExceptionGroup, and a cause that is an Error, each with
 * its own.
 */
function failureOf(error: unknown, path = new Set<unknown>()): Omit<InnerError, "error"> {
  let failure: Omit<InnerError, "error">;
  try {
    const fields = fieldsOf(error);
    failure = {
      fields,
      dom: typeof DOMException === "function" && error instanceof DOMException,
      ours: ourErrorClass(fields?.name)?.prototype.isPrototypeOf(error as object) === true,
    };
  } catch {
    // A revoked Proxy, or a `name` or `message` getter that throws: the error goes as
    // it is, or fails to clone, which the caller is told of.
    return { fields: undefined };
  }
  // An error on the path to this one (its own cause, say) stays in its fields: the
  // clone keeps such a cycle as it is, or, where it cannot (Node 20), answer() sends
  // plain copies, which cut the cycle where it closes.
  path.add(error);
  // A cause or errors that cannot be looked at (a revoked Proxy) go in the fields as
  // they are, or are left behind, and the rest of the error still arrives.
  try {
    const cause = (error as Error).cause;
    if (failure.fields !== undefined && cause instanceof Error && !path.has(cause)) {
      failure.cause = innerOf(cause, path);
      delete failure.fields!.cause;
    }
  } catch {}
  try {
    // Not enumerable, and structured clone knows no AggregateError: it would arrive as
    // a plain Error without them.
    if (error instanceof AggregateError) failure.errors = error.errors.map((inner: unknown) => innerOf(inner, path));
  } catch {}
  path.delete(error);
  return failure;
}

/**
 * What structured clone would drop from an Error: its name, which clones as "Error"
 * unless it is a standard one, its message (from a DOMException, on some hosts), and
 * its own enumerable fields (`code`, `status`, ...), each one that can be cloned (a
 * socket or a callback stays behind). Other thrown values clone whole.
 */
function fieldsOf(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof Error)) return undefined;
  // The message too: some hosts clone a DOMException as a bare object (Node 20).
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (cloneable(value)) fields[key] = value;
  }
  // Not enumerable, and some hosts' clone drops it (Bun's).
  if ("cause" in error && cloneable(error.cause)) fields.cause = error.cause;
  return fields;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
