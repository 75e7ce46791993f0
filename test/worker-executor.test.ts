// WorkerExecutor and serveExecutor over node:worker_threads (in Node and in Bun): calls,
// errors, the worker limit, cancellation that really stops the work, broken workers and
// shutdown. The workers are real threads, so these tests run on the real clock; they
// check outcomes, never durations.
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import { afterEach, expect, it } from "vitest";
import {
  CancelledError,
  createTask,
  ExceptionGroup,
  formatTaskTree,
  gather,
  getRunningLoop,
  run,
  serveExecutor,
  sleep,
  QueueFull,
  TimeoutError,
  ValueError,
  waitFor,
  WorkerExecutor,
  type Awaitable,
  type Coroutine,
  type WorkerExecutorOptions,
} from "../src/index.ts";
import type { functions } from "./fixtures/executor.worker.ts";
import * as wasyncio from "../src/index.ts";
import { messageOf, thrown } from "./helpers.ts";

/** The error `body` fails with and its cause, as strings. */
function* outcomeOf(body: () => Awaitable<unknown>): Coroutine<[string, string]> {
  try {
    yield* body();
  } catch (error) {
    return [String(error), String((error as Error).cause)];
  }
  throw new Error("it did not fail");
}
import { typeScriptWorker } from "../examples/lib/node-worker.ts";

const WORKER = new URL("./fixtures/executor.worker.ts", import.meta.url);

/** How a call whose worker exits with code 3 ends, then the next call's result (6²); then the pool is shut down. */
function exitThenSquare(executor: WorkerExecutor<typeof functions>): Promise<[string, number]> {
  return run(function* () {
    const exited = yield* messageOf(() => waitFor(executor.call("exit", 3), 10_000)); // a guard: the call waited for good
    const next = yield* executor.call("square", 6);
    yield* executor.shutdown();
    return [exited, next] as [string, number];
  });
}

/** What each call fails with, the calls made one after another; then the pool is shut down. */
function errorsOf(executor: WorkerExecutor<typeof functions>, calls: (() => Awaitable<unknown>)[]): Promise<unknown[]> {
  return run(function* () {
    const caught: unknown[] = [];
    for (const call of calls) {
      try {
        yield* call();
        caught.push("no error");
      } catch (error) {
        caught.push(error);
      }
    }
    yield* executor.shutdown();
    return caught;
  });
}

/** A call as the executor posts it to a worker. */
type Job = { id: number; name: string; args: unknown[] };

/**
 * A Web Worker in this thread, for a test to answer the executor as it likes: it says it
 * serves, as serveExecutor() does, and `tell`s the executor with an event.
 */
class InThreadWorker extends EventTarget {
  constructor() {
    super();
    queueMicrotask(() => this.tell("message", { data: { serving: true } }));
  }
  /** Dispatches an event of `type` with `fields`, cancelable as a worker's error event is; returns it. */
  tell(type: string, fields: object): Event {
    const event = Object.assign(new Event(type, { cancelable: true }), fields);
    this.dispatchEvent(event);
    return event;
  }
  terminate(): unknown {
    return undefined;
  }
}

/** Every worker made, so that a failed test leaves no thread behind. */
const made: Worker[] = [];
let terminated = 0;
afterEach(async () => {
  await Promise.all(made.splice(0).map((worker) => worker.terminate()));
  terminated = 0;
});

/** A pool of the fixture's workers, counting the workers it makes and terminates. */
function pool(options: WorkerExecutorOptions = {}): WorkerExecutor<typeof functions> {
  return new WorkerExecutor<typeof functions>(() => {
    const worker = typeScriptWorker(WORKER);
    made.push(worker);
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      terminated++;
      return terminate();
    };
    return worker;
  }, options);
}

it("runs calls on at most maxWorkers workers and returns their results", async () => {
  const executor = pool({ maxWorkers: 2 });
  const out = await run(function* () {
    // The waitFor is a guard: the calls queued behind the first two waited for good.
    const blocked = yield* waitFor(gather([1, 2, 3, 4].map(() => executor.call("block", 20))), 10_000);
    const squares = yield* gather([1, 2, 3].map((x) => executor.call("square", x)));
    const later = yield* executor.call("later", 5, "async result");
    yield* waitFor(executor.shutdown(), 10_000); // a guard: with nothing left to wait for, it waited for good
    return { blocked, squares, later };
  });
  expect(out).toEqual({
    blocked: ["blocked 20 ms", "blocked 20 ms", "blocked 20 ms", "blocked 20 ms"],
    squares: [1, 4, 9],
    later: "async result",
  });
  expect(made.length).toBe(2);
  expect(terminated).toBe(2); // by shutdown
});

it("the task tree names the worker call a task waits on", async () => {
  const executor = pool({ maxWorkers: 1 });
  const tree = await run(function* () {
    const caller = createTask(() => executor.call("block", 50), { name: "caller" });
    yield* sleep(1);
    const text = formatTaskTree();
    yield* caller;
    yield* executor.shutdown();
    return text;
  });
  expect(tree).toMatch(/^Task-\d+: running\ncaller: call\(\) of block on a worker$/);
});

it("an error the function throws reaches the caller with its name and message; the worker goes on", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const failed = yield* messageOf(() => executor.call("fail", "bad input 7"));
    const unknown = yield* messageOf(() => executor.call("nope" as "square", 1));
    const inherited = yield* messageOf(() => executor.call("toString" as "square", 1)); // not Object.prototype's
    const unsendable = yield* messageOf(() => executor.call("unsendable"));
    const uncloneable = yield* messageOf(() => executor.call("square", (() => 1) as unknown as number));
    const generator = yield* messageOf(() => executor.call("generator"));
    const after = yield* executor.call("whoAmI");
    yield* executor.shutdown();
    return [failed, unknown, inherited, unsendable, uncloneable.split(":")[0], generator, after.calls];
  });
  const serves =
    "it serves square, whoAmI, fail, failWithCode, failGroup, failGroupUncloneable, failWithErrorsField, failAsExported, failAs, failNamed, failWithCauseCycle, failUnreadable, failWithCause, failAsTheRuntime, failNamedLikeOurs, generator, squareTwice, failLater, decode, later, block, unsendable, exit, chatty, closePort";
  expect(out).toEqual([
    "TypeError: bad input 7",
    `TypeError: this worker has no function nope; ${serves}`,
    `TypeError: this worker has no function toString; ${serves}`,
    expect.stringMatching(/^TypeError: the result of unsendable cannot be sent back: /),
    "TypeError",
    "TypeError: generator returned a generator (is it a function*?), which runs nothing: serve a plain or async function, which may run() a function* on a loop of the worker's own",
    1, // only fail() counted before it: the others never ran a function
  ]);
  expect(made.length).toBe(1);
});

it("arguments that cannot be sent to a worker fail the call, saying whose they are and why", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    let failure: unknown;
    try {
      yield* executor.call("square", (() => 1) as unknown as number);
    } catch (error) {
      failure = error;
    }
    const after = yield* executor.call("square", 4);
    yield* executor.shutdown();
    return [failure, after];
  });
  const [failure, after] = out as [TypeError, number];
  expect(failure).toBeInstanceOf(TypeError);
  expect(failure.message).toMatch(/^the arguments of square cannot be sent to a worker: DataCloneError: /);
  expect((failure.cause as Error).name).toBe("DataCloneError");
  expect(after).toBe(16);
});

it("the package's own errors arrive as instances of their classes, and a DOMException as a DOMException", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await errorsOf(executor, (["ValueError", "QueueFull", "DOMException"] as const).map((kind) => () => executor.call("failAs", kind)));
  const [value, full, dom] = out as [ValueError, QueueFull, DOMException];
  expect(value).toBeInstanceOf(ValueError);
  expect([value.name, value.message, (value as ValueError & { code: number }).code]).toEqual(["ValueError", "bad value", 7]);
  expect(String(value)).toBe("ValueError: bad value");
  expect(full).toBeInstanceOf(QueueFull);
  expect(String(full)).toBe("QueueFull: no room");
  expect(dom).toBeInstanceOf(DOMException);
  expect([dom.name, dom.message]).toEqual(["NotFoundError", "dom message"]);
});

it("every error class the package exports arrives as an instance of its class", async () => {
  const classes = Object.entries(wasyncio).filter(
    ([, value]) => typeof value === "function" && value.prototype instanceof Error,
  ) as [string, abstract new (...args: never[]) => Error][];
  expect(classes.length).toBeGreaterThanOrEqual(13);
  const executor = pool({ maxWorkers: 1 });
  const out = await errorsOf(executor, classes.map(([name]) => () => executor.call("failAsExported", name)));
  expect(out.map((error, i) => [classes[i]![0], error instanceof classes[i]![1], (error as Error).name])).toEqual(
    classes.map(([name]) => [name, true, name]),
  );
});

it("an error with a field of its own named errors arrives with it, as a plain Error, not as a group", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await errorsOf(executor, (["map", "list"] as const).map((kind) => () => executor.call("failWithErrorsField", kind)));
  expect(out.map((error) => [String(error), error instanceof AggregateError, (error as { errors?: unknown }).errors])).toEqual([
    ["Error: validation failed", false, { email: "required" }],
    ["Error: validation failed", false, ["a", "b"]],
  ]);
});

it("a group whose errors cannot all be cloned arrives as a group, each error with what can travel", async () => {
  const executor = pool({ maxWorkers: 1 });
  const [group] = (await errorsOf(executor, [() => executor.call("failGroupUncloneable")])) as [ExceptionGroup];
  expect(group).toBeInstanceOf(ExceptionGroup);
  const [inner, nested, thrownFunction, plainString] = group.exceptions as [Error & { code: string }, AggregateError, TypeError, string];
  expect([String(inner), inner.code, inner.cause]).toEqual(["Error: inner", "E_INNER", undefined]);
  expect(nested).toBeInstanceOf(AggregateError);
  expect(nested.errors.map(String)).toEqual(["RangeError: deep"]);
  expect(String(thrownFunction)).toBe("TypeError: a function (thrownFunction) cannot be sent back");
  expect(plainString).toBe("a plain string"); // what can be cloned arrives as it was
});

it("an error whose name cannot be read arrives as a plain Error of its message; a revoked Proxy thrown fails the call saying why; the worker goes on", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const messages: string[] = [];
    for (const kind of ["name", "proxy"] as const) messages.push(yield* messageOf(() => executor.call("failUnreadable", kind)));
    const after = yield* executor.call("whoAmI");
    yield* executor.shutdown();
    return [messages, after.calls];
  });
  const [messages, calls] = out as [string[], number];
  expect(messages[0]).toBe("Error: the real message");
  expect(messages[1]).toMatch(/^TypeError: the error thrown by failUnreadable cannot be sent back: /);
  expect(calls).toBe(2); // the same worker answered both: it was not replaced
  expect(made.length).toBe(1);
});

it("an error whose causes form a cycle reaches the caller, with its cause; the worker goes on", async () => {
  // Node 20 clones such an error but cannot make it again on the other side: sent as it
  // is, the call waited for good. Where the clone keeps the cycle (Node 26, Deno), it stays.
  const executor = pool({ maxWorkers: 1 });
  // The waitFor is a guard: the calls hung.
  const kinds = ["pair", "self"] as const;
  const caught = await errorsOf(executor, kinds.map((kind) => () => waitFor(executor.call("failWithCauseCycle", kind), 10_000)));
  const [pair, self] = caught as [Error & { cause: Error }, Error];
  expect([String(pair), String(pair.cause)]).toEqual(["Error: a", "Error: b"]);
  expect([undefined, pair]).toContain(pair.cause.cause); // cut where the cycle closes, or kept
  expect(String(self)).toBe("Error: self");
  expect([undefined, self]).toContain(self.cause);
  expect(made.length).toBe(1); // the same worker answered both
});

/**
 * Calls "unreadable" on a worker of this thread that answers it with `answer`, then
 * "again" (which it answers with its argument): how the first call ended, the second's
 * result, and how many workers were made.
 */
function unreadableThenAgain(answer: (worker: InThreadWorker) => void): Promise<[string, number, number]> {
  class AnsweringWorker extends InThreadWorker {
    postMessage(job: Job): void {
      queueMicrotask(() => (job.name === "unreadable" ? answer(this) : this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } })));
    }
  }
  let workers = 0;
  const executor = new WorkerExecutor<{ unreadable(): number; again(x: number): number }>(() => (workers++, new AnsweringWorker()), { maxWorkers: 1 });
  return run(function* () {
    const failure = yield* messageOf(() => executor.call("unreadable"));
    const next = yield* executor.call("again", 5);
    yield* executor.shutdown();
    return [failure, next, workers];
  });
}

it("an answer that arrives but cannot be read fails its call saying so; the worker goes on", async () => {
  expect(await unreadableThenAgain((worker) => worker.tell("messageerror", { data: null }))).toEqual([
    "RuntimeError: unreadable() failed: its outcome could not be read: structured clone could not make it again",
    5,
    1,
  ]);
});

it("a call queued behind one whose answer cannot be read runs next, on the same worker", async () => {
  /** A Web Worker of this thread: `unreadable` is answered with what cannot be read, any other call with its argument. */
  class AnsweringWorker extends InThreadWorker {
    postMessage(job: Job): void {
      queueMicrotask(() =>
        job.name === "unreadable" ? this.tell("messageerror", { data: null }) : this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } }),
      );
    }
  }
  let workers = 0;
  const executor = new WorkerExecutor<{ unreadable(): number; again(x: number): number }>(() => (workers++, new AnsweringWorker()), { maxWorkers: 1 });
  const out = await run(function* () {
    // The waitFor is a guard: the queued call waited for good.
    const outcomes = yield* waitFor(gather([executor.call("unreadable"), executor.call("again", 5)], { returnExceptions: true }), 5_000);
    yield* executor.shutdown();
    return outcomes.map(String);
  });
  expect(out).toEqual(["RuntimeError: unreadable() failed: its outcome could not be read: structured clone could not make it again", "5"]);
  expect(workers).toBe(1);
});

/** A port for serveExecutor that keeps what it posts: a Web one (EventTarget) or node's (EventEmitter). */
function recordingPort<P extends object>(port: P): P & { posted: unknown[]; postMessage(message: unknown): void } {
  const posted: unknown[] = [];
  return Object.assign(port, { posted, postMessage: (message: unknown) => void posted.push(message) });
}

it("serveExecutor says it serves once: at its first call or after its module's code, not at every call", async () => {
  const port = recordingPort(new EventTarget());
  serveExecutor({ square: (x: number) => x * x }, port);
  for (const id of [1, 2]) port.dispatchEvent(Object.assign(new Event("message"), { data: { id, name: "square", args: [id + 1] } }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(port.posted).toEqual([
    { serving: true },
    { id: 1, ok: true, value: 4 },
    { id: 2, ok: true, value: 9 },
  ]);
});

it("a call whose arguments the worker cannot read fails saying so; the worker goes on", async () => {
  // serveExecutor's side: a message that cannot be read has no id, so it tells the
  // executor, which fails the call it sent last (a worker runs one at a time).
  const port = recordingPort(new EventTarget());
  serveExecutor({}, port);
  port.dispatchEvent(Object.assign(new Event("messageerror"), { data: null }));
  expect(port.posted).toContainEqual({ unreadable: "structured clone could not make it again" });
  // Under node:worker_threads, the port gives the Error node made: told with its name.
  const nodePort = recordingPort(new EventEmitter());
  serveExecutor({}, nodePort);
  nodePort.emit("messageerror", new Error("Unable to deserialize cloned data."));
  expect(nodePort.posted).toContainEqual({ unreadable: "Error: Unable to deserialize cloned data." });

  const unreadable = { unreadable: "Error: Unable to deserialize cloned data." };
  expect(await unreadableThenAgain((worker) => worker.tell("message", { data: unreadable }))).toEqual([
    "RuntimeError: unreadable() failed: the worker could not read its arguments: Error: Unable to deserialize cloned data.",
    5,
    1,
  ]);
});

it("serveExecutor on node's parentPort (a MessagePort, with both on and addEventListener) tells node's Error for a message it cannot read", async () => {
  // A real MessagePort, as parentPort is: node gives its Error only to an `on` listener.
  const { port1, port2 } = new MessageChannel();
  serveExecutor({ kind: (x: unknown) => typeof x }, port1);
  const posted: unknown[] = [];
  const three = new Promise((resolve) => port2.on("message", (message) => posted.push(message) === 3 && resolve(undefined)));
  const cycle = new Error("a");
  cycle.cause = new Error("b", { cause: cycle });
  port2.postMessage({ id: 1, name: "kind", args: [cycle] });
  port2.postMessage({ id: 2, name: "kind", args: [2] });
  await three;
  port1.close();
  port2.close();
  // What structuredClone() throws, the port's messageerror tells; where the clone keeps
  // the cycle (Node 26, Deno), the call is read as any other.
  const cloning = thrown(() => structuredClone(cycle));
  expect(posted).toEqual([
    { serving: true },
    cloning === "no error" ? { id: 1, ok: true, value: "object" } : { unreadable: cloning },
    { id: 2, ok: true, value: "number" },
  ]);
});

it("cancelling a running call terminates its worker; the next call gets a new one", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const first = yield* executor.call("whoAmI");
    const timedOut = yield* messageOf(() => waitFor(executor.call("block", Infinity), 50));
    const second = yield* waitFor(executor.call("whoAmI"), 10_000); // a guard: it waited behind the blocked one for good
    yield* executor.shutdown();
    return [timedOut.split(":")[0], first.threadId !== second.threadId, second.calls];
  });
  expect(out).toEqual([TimeoutError.name, true, 0]);
  expect(made.length).toBe(2);
  expect(terminated).toBe(2); // the blocked one, then the second by shutdown
});

it("cancelling a queued call drops it before any worker sees it", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const busy = executor.call("block", 30);
    const queued = createTask(function* () {
      return yield* executor.call("square", 5);
    });
    yield* sleep(0);
    queued.cancel();
    const cancelled = yield* messageOf(() => queued);
    yield* busy;
    const next = yield* executor.call("whoAmI");
    yield* executor.shutdown();
    return [cancelled.split(":")[0], next.calls];
  });
  expect(out).toEqual(["CancelledError", 1]); // the worker ran block() only
  expect(made.length).toBe(1);
});

it("cancelling many calls at once stops the running ones' workers and starts none of the queued", async () => {
  const executor = pool({ maxWorkers: 2 });
  const out = await run(function* () {
    const calls = gather(
      Array.from({ length: 200 }, () => executor.call("later", 60_000, "never")),
      { returnExceptions: true },
    );
    yield* sleep(50); // two run, 198 wait
    calls.cancel();
    const outcomes = yield* gather([calls], { returnExceptions: true });
    const workersWhenCancelled = made.length;
    const next = yield* executor.call("whoAmI"); // on a new worker
    yield* executor.shutdown();
    return [String(outcomes[0]), workersWhenCancelled, next.calls];
  });
  // Before, each cancelled running call handed its slot to the next queued one, on a new
  // worker, which the next cancellation stopped again: 200 workers for 200 calls.
  expect(out).toEqual(["CancelledError", 2, 0]);
  expect(made.length).toBe(3);
  expect(terminated).toBe(3); // the two that ran, then the last by shutdown
});

it("cancelling a burst of calls on Web Workers (whose terminate() returns nothing) starts none of the queued, and the queue moves on after each burst", async () => {
  /** A Web Worker of this thread that answers `fast` with its argument, `slow` never; terminate() returns nothing. */
  class WebWorker extends InThreadWorker {
    postMessage(job: Job): void {
      if (job.name !== "slow") queueMicrotask(() => this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } }));
    }
  }
  let workers = 0;
  const executor = new WorkerExecutor<{ slow(x: number): number; fast(x: number): number }>(() => (workers++, new WebWorker()), { maxWorkers: 1 });
  const out = await run(function* () {
    const calls = gather(Array.from({ length: 20 }, () => executor.call("slow", 0)), { returnExceptions: true });
    yield* sleep(5); // one runs, 19 wait
    calls.cancel();
    yield* gather([calls], { returnExceptions: true });
    const afterBurst = workers;
    // Another burst, of one running call, a call queued behind it: it runs once the burst is over.
    const slow = executor.call("slow", 0);
    const fast = executor.call("fast", 7);
    yield* sleep(5);
    slow.cancel();
    const value = yield* waitFor(fast, 5_000); // a guard: the queued call waited for good
    yield* executor.shutdown();
    return [afterBurst, value, workers];
  });
  expect(out).toEqual([1, 7, 3]);
});

it("an error keeps its own fields and name across the thread, leaving behind only a field no clone carries", async () => {
  const executor = pool({ maxWorkers: 1 });
  const caught = await errorsOf(executor, ["ENOENT", "EUNCLONEABLE"].map((code) => () => executor.call("failWithCode", code)));
  const out = caught.map((error) => {
    const { code, errno, path, retry } = error as Record<string, unknown>;
    // Its own fields, as on the error thrown: the name restored is not one of them.
    return { error: String(error), isError: error instanceof Error, code, errno, path, retry, keys: Object.keys(error as object) };
  });
  const keys = ["code", "errno", "path"];
  expect(out).toEqual([
    { error: "SystemError: ENOENT: no such file", isError: true, code: "ENOENT", errno: -2, path: "/nope", retry: undefined, keys },
    { error: "SystemError: EUNCLONEABLE: no such file", isError: true, code: "EUNCLONEABLE", errno: -2, path: "/nope", retry: undefined, keys },
  ]);
});

it("an error named like one of Object.prototype's keys arrives as an Error of that name", async () => {
  const executor = pool({ maxWorkers: 1 });
  const names = ["constructor", "toString", "hasOwnProperty"];
  const caught = await errorsOf(executor, names.map((name) => () => executor.call("failNamed", name)));
  expect(caught.map((error) => [error instanceof Error, String(error)])).toEqual(names.map((name) => [true, `${name}: odd name`]));
});

it("an error whose cause cannot be cloned still arrives, with its name, message and fields; a cause that can be arrives too", async () => {
  const executor = pool({ maxWorkers: 1 });
  const caught = await errorsOf(executor, (["function", "error", "revoked"] as const).map((kind) => () => executor.call("failWithCause", kind)));
  const out = caught.map((error) => ({
    error: String(error),
    code: (error as { code?: unknown }).code,
    cause: String((error as Error).cause),
    enumerable: Object.keys(error as object),
    // Its stack is where it was thrown, in the worker, also when it went as a plain copy.
    stack: String((error as Error).stack).includes("failWithCause"),
  }));
  expect(out).toEqual([
    { error: "Error: with a cause that is a function", code: "E_OUTER", cause: "undefined", enumerable: ["code"], stack: true },
    { error: "Error: with a cause that is an error", code: "E_OUTER", cause: "RangeError: the inner one", enumerable: ["code"], stack: true },
    { error: "Error: with a cause that is a revoked Proxy", code: "E_OUTER", cause: "undefined", enumerable: ["code"], stack: true },
  ]);
  expect(made.length).toBe(1);
});

/** What a call fails with, its worker (of this thread) answering it with `failure` as serveExecutor sends one: `error` as the host's clone makes it, and what the clone dropped. */
function failureFrom(failure: () => object): Promise<unknown> {
  class FailingWorker extends InThreadWorker {
    postMessage(job: Job): void {
      queueMicrotask(() => this.tell("message", { data: { id: job.id, ok: false, ...failure() } }));
    }
  }
  const executor = new WorkerExecutor<{ fail(): never }>(() => new FailingWorker(), { maxWorkers: 1 });
  return run(function* () {
    try {
      return yield* executor.call("fail");
    } catch (error) {
      return error;
    } finally {
      yield* executor.shutdown();
    }
  });
}

it("a cause the host's clone dropped (Bun's drops it) arrives as the error's own, not enumerable, as on the error thrown", async () => {
  const error = (await failureFrom(() => ({ error: new Error("with a cause"), fields: { name: "Error", message: "with a cause", cause: "why" } }))) as Error;
  expect([String(error), error.cause, Object.keys(error)]).toEqual(["Error: with a cause", "why", []]);
});

it("a DOMException the host's clone kept as one arrives as it came, not made again (which would lose the worker's stack)", async () => {
  let sent!: DOMException;
  const error = await failureFrom(() => {
    sent = new DOMException("dom message", "NotFoundError");
    return { error: sent, fields: { name: "NotFoundError", message: "dom message" }, dom: true };
  });
  expect(error).toBe(sent);
});

it("the runtime's own CancelledError, made without a stack, arrives as one, alone, as a TimeoutError's cause or as the cause of two errors", async () => {
  const executor = pool({ maxWorkers: 1 });
  const kinds = ["cancelled", "timeout", "sharedCause"] as const;
  const [cancelled, timedOut, group] = await errorsOf(executor, kinds.map((kind) => () => executor.call("failAsTheRuntime", kind)));
  expect(cancelled).toBeInstanceOf(CancelledError);
  expect(String(cancelled)).toBe("CancelledError: stopped inside");
  expect(timedOut).toBeInstanceOf(TimeoutError);
  expect((timedOut as Error).cause).toBeInstanceOf(CancelledError);
  // Met a second time in one failure, it is still sent whole (no cycle to cut there).
  expect((group as AggregateError).errors.map((inner: Error) => [String(inner), String(inner.cause), inner.cause instanceof CancelledError])).toEqual([
    ["Error: a", "CancelledError: stopped inside", true],
    ["Error: b", "CancelledError: stopped inside", true],
  ]);
  // A task that awaits such a call ends cancelled, as asyncio's awaiting a thread that raised it.
  const next = pool({ maxWorkers: 1 });
  const cancelledToo = await run(function* () {
    const task = createTask(function* () {
      return yield* next.call("failAsTheRuntime", "cancelled");
    });
    yield* outcomeOf(() => task);
    yield* next.shutdown();
    return task.cancelled();
  });
  expect(cancelledToo).toBe(true);
});

it("an error only named like the package's own (a DOMException TimeoutError, a library's CancelledError) stays what it was", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await errorsOf(executor, (["domTimeout", "libCancelled"] as const).map((kind) => () => executor.call("failNamedLikeOurs", kind)));
  const [domTimeout, libCancelled] = out as [DOMException, Error];
  expect(domTimeout).toBeInstanceOf(DOMException);
  expect(domTimeout).not.toBeInstanceOf(TimeoutError);
  expect([domTimeout.name, domTimeout.code]).toEqual(["TimeoutError", 23]);
  expect(libCancelled).not.toBeInstanceOf(CancelledError);
  expect(String(libCancelled)).toBe("CancelledError: stopped by a library");
});

/** A Web Worker of the executor's fixture functions, in this thread: `exit` fires "close" as Bun's does, any other call answers its argument squared. */
class ExitingWorker extends InThreadWorker {
  postMessage(job: Job): void {
    queueMicrotask(() => {
      if (job.name === "exit") this.tell("close", { code: job.args[0] });
      else this.tell("message", { data: { id: job.id, ok: true, value: (job.args[0] as number) ** 2 } });
    });
  }
}

it("a Web Worker that exits (Bun's, which fires a close event with the code) fails its call and is replaced", async () => {
  let workers = 0;
  const executor = new WorkerExecutor<typeof functions>(() => (workers++, new ExitingWorker()), { maxWorkers: 1 });
  const out = await exitThenSquare(executor);
  expect(out).toEqual(["RuntimeError: the worker running exit() failed: it exited with code 3", 36]);
  expect(workers).toBe(2);
});

it("a Web Worker that exits while a call waits in the queue is replaced, and the queued call runs on the new one", async () => {
  let workers = 0;
  const executor = new WorkerExecutor<typeof functions>(() => (workers++, new ExitingWorker()), { maxWorkers: 1 });
  const out = await run(function* () {
    // The waitFor is a guard: the queued call waited for good (its terminate() returns nothing to wait on).
    const outcomes = yield* waitFor(gather([executor.call("exit", 3), executor.call("square", 6)], { returnExceptions: true }), 5_000);
    yield* executor.shutdown();
    return outcomes.map(String);
  });
  expect(out).toEqual(["RuntimeError: the worker running exit() failed: it exited with code 3", "36"]);
  expect(workers).toBe(2);
});

it("a DOMException from a worker fails the call with its name and message, and the worker goes on", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    let failure: unknown;
    try {
      yield* executor.call("decode", "not base64!!");
    } catch (error) {
      failure = error;
    }
    const after = yield* executor.call("square", 3);
    yield* executor.shutdown();
    const { name, message } = failure as Error;
    return [name, typeof message === "string" && message.length > 0, after];
  });
  expect(out).toEqual(["InvalidCharacterError", true, 9]);
});

it("an idle worker does not keep the process alive, a busy one does: a program that never shut its pool down exits when done", async () => {
  const program = fileURLToPath(new URL("./fixtures/executor-left-open.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));
  const child = spawn(process.execPath, ["--import", tsx, program], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  // Only a hang detector: the program exits in well under a second when it can.
  const hung = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(hung);
  expect({ output, code, signal }).toEqual({
    output: "square: 49\nlater: from the same worker, busy again\nError: main failed before pool.shutdown()\n",
    code: 0,
    signal: null,
  });
}, 30_000);

it("an ExceptionGroup from a worker arrives as one, with its errors and their fields", async () => {
  const executor = pool({ maxWorkers: 1 });
  const error = await run(function* () {
    try {
      return yield* executor.call("failGroup");
    } catch (error) {
      return error;
    } finally {
      yield* executor.shutdown();
    }
  });
  expect(error).toBeInstanceOf(ExceptionGroup);
  const group = error as ExceptionGroup;
  expect([group.message, group.baseMessage]).toEqual(["batch (3 sub-exceptions)", "batch"]);
  const [a, b, inner] = group.exceptions as [TypeError, Error & { code: string }, AggregateError];
  expect([a, b.code, inner]).toEqual([new TypeError("a"), "E_B", expect.any(AggregateError)]);
  expect(inner.errors).toEqual([new RangeError("c")]);
  // What except* does works on it: split by class.
  const [typeErrors, rest] = group.split(TypeError);
  expect([typeErrors?.exceptions, rest?.exceptions.length]).toEqual([[a], 2]);
});

it("a worker's functions are called as methods of the object served, so `this` works", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const value = yield* executor.call("squareTwice", 3);
    yield* executor.shutdown();
    return value;
  });
  expect(out).toBe(81);
});

it("a worker that fails between calls fails the next call with its own error, the worker's as cause", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    // The worker fails 300 ms after it answers: the next call is sent long before (under
    // load, 10 ms was once not enough, and the failure came between the calls).
    const answered = yield* executor.call("failLater", 300);
    const failure = yield* outcomeOf(() => executor.call("later", 2_000, "never"));
    const next = yield* executor.call("square", 5);
    yield* executor.shutdown();
    return [answered, failure, next];
  });
  expect(out).toEqual(["answered", ["RuntimeError: the worker running later() failed: left behind", "Error: left behind"], 25]);
});

it("a worker that fails between calls is reported to the exception handler of its last call's loop, and replaced", async () => {
  const executor = pool({ maxWorkers: 1 });
  const reports: string[] = [];
  const out = await run(function* () {
    getRunningLoop().setExceptionHandler((_loop, context) =>
      reports.push(`${context.message} | ${String(context.exception)} | cause ${String((context.exception as Error).cause)}`),
    );
    // Its error comes 100 ms after its answer: with 0, Node once delivered the worker's
    // error event before its answer, under load, and the call itself failed.
    const answered = yield* executor.call("failLater", 100);
    // The waitFors are guards: the report never came, or the call went to the failed worker.
    yield* waitFor(
      (function* () {
        while (reports.length === 0) yield* sleep(5);
      })(),
      10_000,
    );
    const next = yield* waitFor(executor.call("whoAmI"), 10_000);
    yield* executor.shutdown();
    return [answered, next.calls];
  });
  expect(reports).toEqual([
    "A WorkerExecutor's worker failed between calls; the next call starts a new one | " +
      "RuntimeError: the worker idle since its last call failed: left behind | cause Error: left behind",
  ]);
  expect(out).toEqual(["answered", 0]); // a new worker, which has answered nothing before
  expect(made.length).toBe(2);
});

it("a worker that exits fails its call and is replaced", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await exitThenSquare(executor);
  expect(out).toEqual(["RuntimeError: the worker running exit() failed: it exited with code 3", 36]);
  expect(made.length).toBe(2);
});

it("a worker that exits with code 0 in a call says only that: its module did serve", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const exited = yield* messageOf(() => executor.call("exit", 0));
    const next = yield* executor.call("square", 3);
    yield* executor.shutdown();
    return [exited, next];
  });
  expect(out).toEqual(["RuntimeError: the worker running exit() failed: it exited with code 0", 9]);
});

it("a worker whose module fails as it loads, after its serveExecutor(), fails the queued calls with it, rather than each after a worker of its own", async () => {
  let workers = 0;
  const executor = new WorkerExecutor<typeof functions>(
    () => (workers++, typeScriptWorker(new URL("./fixtures/throwing.worker.ts", import.meta.url))),
    { maxWorkers: 1 },
  );
  const out = await run(function* () {
    const failures = yield* gather([1, 2, 3, 4, 5].map((x) => executor.call("square", x)), { returnExceptions: true });
    yield* executor.shutdown();
    return failures.map(String);
  });
  expect(out).toEqual([
    "RuntimeError: the worker running square() failed before it served: this module fails to load",
    ...Array(4).fill("RuntimeError: a worker of the pool failed before it served: this module fails to load"),
  ]);
  expect(workers).toBe(1);
});

it("a burst of cancelled calls never has more threads alive than maxWorkers: a new worker waits for the terminated one to end", async () => {
  let alive = 0;
  let peak = 0;
  const executor = new WorkerExecutor<typeof functions>(
    () => {
      const worker = typeScriptWorker(WORKER);
      made.push(worker);
      peak = Math.max(peak, ++alive);
      worker.once("exit", () => alive--);
      return worker;
    },
    { maxWorkers: 2 },
  );
  const out = await run(function* () {
    for (let round = 0; round < 6; round++) {
      const calls = [executor.call("block", 10_000), executor.call("block", 10_000), executor.call("square", round)];
      yield* sleep(5);
      for (const call of calls.slice(0, 2)) call.cancel();
      yield* calls[2]!;
    }
    const last = yield* executor.call("square", 7);
    yield* executor.shutdown();
    return last;
  });
  expect(out).toBe(49);
  expect(peak).toBeLessThanOrEqual(2);
});

it("terminateWorkers() stops the pool at once: the running call fails, the queued one is cancelled, new ones are refused", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const running = executor.call("block", 10_000);
    const queued = executor.call("square", 2);
    yield* sleep(50);
    executor.terminateWorkers();
    const failed = yield* messageOf(() => running);
    const cancelled = yield* messageOf(() => waitFor(queued, 10_000)); // a guard: the queued call waited for good
    const refused = yield* messageOf(() => executor.call("square", 3));
    yield* waitFor(executor.shutdown(), 10_000); // nothing left to wait for (a guard: it waited for good)
    return [failed, cancelled, refused];
  });
  expect(out).toEqual([
    "RuntimeError: the worker running block() was stopped: the executor's workers were terminated (terminateWorkers())",
    "CancelledError: the executor's workers were terminated (terminateWorkers())",
    "RuntimeError: cannot schedule new calls after shutdown",
  ]);
  expect(terminated).toBe(1);
});

it("terminateWorkers() terminates the idle workers too", async () => {
  const executor = pool({ maxWorkers: 2 });
  await run(function* () {
    yield* executor.call("square", 3); // its worker is idle after it
  });
  executor.terminateWorkers();
  expect([made.length, terminated]).toEqual([1, 1]);
});

it("terminateWorkers() after run() stops a call whose future main dropped, which would have run on for good", async () => {
  const executor = pool({ maxWorkers: 1 });
  await run(function* () {
    executor.call("block", 60_000); // dropped: run() ends without waiting for it
    yield* sleep(50);
  });
  const exited = new Promise<number>((resolve) => made[0]!.once("exit", resolve));
  executor.terminateWorkers();
  await exited;
  expect(terminated).toBe(1);
});

it("terminateWorkers() ends a shutdown() that waits for a running call, also when terminate() returns nothing, as a Web Worker's does", async () => {
  /** A Web Worker of this thread that never answers. */
  class SilentWorker extends InThreadWorker {
    postMessage(): void {}
  }
  const executor = new WorkerExecutor<{ slow(): number }>(() => new SilentWorker(), { maxWorkers: 1 });
  const out = await run(function* () {
    const call = executor.call("slow");
    const shutdown = createTask(() => executor.shutdown());
    yield* sleep(5);
    executor.terminateWorkers();
    const failed = yield* messageOf(() => call);
    yield* waitFor(shutdown, 1_000); // a guard: the shutdown waited for good
    return failed;
  });
  expect(out).toBe("RuntimeError: the worker running slow() was stopped: the executor's workers were terminated (terminateWorkers())");
});

it("a terminated worker whose terminate() never settles stops counting against maxWorkers after a grace period", async () => {
  /** A Web Worker of this thread that answers with its argument, `slow` after 10 s; its terminate() never settles. */
  class NeverEndingWorker extends InThreadWorker {
    postMessage(job: Job): void {
      const answer = () => this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } });
      if (job.name === "slow") setTimeout(answer, 10_000).unref();
      else queueMicrotask(answer);
    }
    override terminate(): Promise<void> {
      return new Promise(() => {});
    }
  }
  const executor = new WorkerExecutor<{ slow(x: number): number; fast(x: number): number }>(() => new NeverEndingWorker(), { maxWorkers: 1 });
  const out = await run(function* () {
    const stopped = yield* messageOf(() => waitFor(executor.call("slow", 1), 10));
    const next = yield* executor.call("fast", 2);
    yield* executor.shutdown();
    return [stopped.split(":")[0], next];
  });
  expect(out).toEqual(["TimeoutError", 2]);
});

it("a terminated worker that ends only after its grace period is not counted off twice: the pool stays within maxWorkers", async () => {
  /** A Web Worker of this thread that answers `fast` with its argument, `slow` never; it ends when the test says so. */
  const ends: (() => void)[] = [];
  class LateEndingWorker extends InThreadWorker {
    postMessage(job: Job): void {
      if (job.name !== "slow") queueMicrotask(() => this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } }));
    }
    override terminate(): Promise<void> {
      return new Promise((resolve) => ends.push(resolve));
    }
  }
  let workers = 0;
  const executor = new WorkerExecutor<{ slow(x: number): number; fast(x: number): number }>(() => (workers++, new LateEndingWorker()), { maxWorkers: 1 });
  const out = await run(function* () {
    const first = executor.call("slow", 1);
    const second = executor.call("slow", 2);
    const third = executor.call("fast", 3);
    yield* sleep(5);
    first.cancel(); // its worker does not end: the second call waits out the grace period (a second)
    while (workers < 2) yield* sleep(20);
    second.cancel(); // the second worker is ending now: the third call waits for it
    yield* sleep(5);
    ends[0]!(); // the first worker ends at last, long after it stopped counting
    yield* sleep(20);
    const whileTheSecondEnds = workers;
    ends[1]!();
    const value = yield* third;
    yield* executor.shutdown();
    return [first.cancelled(), second.cancelled(), whileTheSecondEnds, value, workers];
  });
  expect(out).toEqual([true, true, 2, 3, 3]);
});

it("a worker whose module never serves fails the call with a hint", async () => {
  const executor = new WorkerExecutor<typeof functions>(() => typeScriptWorker(new URL("./fixtures/unserved.worker.ts", import.meta.url)), {
    maxWorkers: 1,
  });
  const out = await run(function* () {
    const failure = yield* messageOf(() => executor.call("square", 2));
    yield* executor.shutdown();
    return failure;
  });
  expect(out).toBe("RuntimeError: the worker running square() failed before it served: it exited with code 0 (does its module call serveExecutor()?)");
});

it("messages a worker posts of its own, not answers, are left alone", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const answered = yield* executor.call("chatty");
    const next = yield* executor.call("whoAmI");
    yield* executor.shutdown();
    return [answered, next.calls];
  });
  expect(out).toEqual(["done", 1]); // the same worker answered both
  expect(made.length).toBe(1);
});

it("messages the program posts to a worker of its own, not calls, are left alone there", async () => {
  const executor = new WorkerExecutor<typeof functions>(() => {
    const worker = typeScriptWorker(WORKER);
    made.push(worker);
    // Ids as a call's, but no arguments: messages of the program's own (answered, they
    // would fail the calls of those ids).
    for (const message of [null, "hello", 42, { id: "x" }, { id: 0, kind: "progress" }, { id: 1, kind: "progress" }]) worker.postMessage(message);
    return worker;
  }, { maxWorkers: 1 });
  const out = await run(function* () {
    const square = yield* executor.call("square", 8);
    const next = yield* executor.call("whoAmI");
    yield* executor.shutdown();
    return [square, next.calls];
  });
  expect(out).toEqual([64, 1]); // the same worker answered both
  expect(made.length).toBe(1);
});

it("a worker that closes its port fails its call and is replaced", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const closed = yield* messageOf(() => executor.call("closePort"));
    const next = yield* executor.call("square", 7);
    yield* executor.shutdown();
    return [closed, next];
  });
  expect(out).toEqual(["RuntimeError: the worker running closePort() failed: it closed itself (close())", 49]);
  expect(made.length).toBe(2);
});

it("shutdown waits for the calls made, refuses new ones, and with cancelPending cancels the queued", async () => {
  const executor = pool({ maxWorkers: 1 });
  const out = await run(function* () {
    const running = executor.call("later", 20, "finished");
    const queued = createTask(function* () {
      return yield* executor.call("square", 2);
    });
    yield* sleep(0);
    // Two shutdowns, from two tasks: both end when the calls are done.
    const other = createTask(function* () {
      yield* executor.shutdown();
      return running.done();
    });
    yield* waitFor(executor.shutdown(), 10_000); // a guard: the first shutdown waited for good
    const refused = thrown(() => executor.call("square", 3));
    return [running.result(), queued.done() && queued.result(), refused, yield* other];
  });
  expect(out).toEqual(["finished", 4, "RuntimeError: cannot schedule new calls after shutdown", true]);

  const second = pool({ maxWorkers: 1 });
  const outcome = await run(function* () {
    const reports: string[] = [];
    getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context.message));
    const running = second.call("later", 20, "finished");
    const queued = createTask(function* () {
      return yield* second.call("square", 2);
    });
    const unawaited = second.call("square", 3); // nobody reads it: as asyncio's cancel_futures, it is not reported
    yield* sleep(0);
    yield* second.shutdown({ cancelPending: true });
    const queuedError = yield* messageOf(() => queued);
    return [running.result(), queuedError, queued.cancelled(), unawaited.cancelled(), reports];
  });
  expect(outcome).toEqual(["finished", "CancelledError: the executor was shut down", true, true, []]);
});

it("shutdown waits for a queued call that waits for a cancelled call's worker to end, though no call is running", async () => {
  /** A Web Worker of this thread that answers with its argument, `slow` never; it takes 30 ms to end. */
  class SlowToEndWorker extends InThreadWorker {
    postMessage(job: Job): void {
      if (job.name !== "slow") queueMicrotask(() => this.tell("message", { data: { id: job.id, ok: true, value: job.args[0] } }));
    }
    override terminate(): Promise<void> {
      return new Promise((resolve) => setTimeout(resolve, 30));
    }
  }
  const executor = new WorkerExecutor<{ slow(x: number): number; fast(x: number): number }>(() => new SlowToEndWorker(), { maxWorkers: 1 });
  const out = await run(function* () {
    const slow = executor.call("slow", 1);
    const queued = executor.call("fast", 2);
    yield* sleep(5);
    slow.cancel(); // its worker is ending: the queued call waits for that
    yield* sleep(0);
    yield* executor.shutdown();
    return [slow.cancelled(), queued.done() && queued.result()];
  });
  expect(out).toEqual([true, 2]);
});

it("shutdown({ cancelPending }) ends a queued call whose loop has closed since, and the shutdown completes", async () => {
  const executor = pool({ maxWorkers: 1 });
  let calledBack = false;
  await run(function* () {
    executor.call("later", 300, "busy"); // holds the one worker
    executor.call("square", 3).addDoneCallback(() => (calledBack = true)); // queued; its loop closes with it
    yield* sleep(20);
  });
  const out = await run(function* () {
    yield* executor.shutdown({ cancelPending: true });
    return "shut down";
  });
  expect([out, calledBack]).toEqual(["shut down", false]);
});

it("a worker that cannot be made fails the calls waiting for it, saying so, with its error as the cause", async () => {
  const thrownByFactory = [new Error("no workers here"), undefined, new Error("")];
  const out = await run(function* () {
    const outcomes: [string, string][] = [];
    for (const error of thrownByFactory) {
      const executor = new WorkerExecutor(() => {
        throw error;
      });
      outcomes.push(yield* outcomeOf(() => executor.call("anything")));
    }
    return outcomes;
  });
  expect(out).toEqual([
    ["RuntimeError: WorkerExecutor's createWorker() failed: no workers here", "Error: no workers here"],
    ["RuntimeError: WorkerExecutor's createWorker() failed: undefined", "undefined"],
    ["RuntimeError: WorkerExecutor's createWorker() failed: ", "Error"], // its message, empty as it was
  ]);
});

it("a worker createWorker() made that cannot be listened to fails the calls saying so, and is terminated", async () => {
  let terminated = 0;
  const executor = new WorkerExecutor(() => ({ postMessage() {}, terminate: () => void terminated++ }), { maxWorkers: 1 });
  const out = await run(function* () {
    const failure = yield* messageOf(() => executor.call("anything"));
    yield* executor.shutdown();
    return failure;
  });
  expect(out).toBe(
    "TypeError: WorkerExecutor's createWorker() needs a worker or port with addEventListener (the Web's) or on (node:worker_threads), got an object of class Object",
  );
  expect(terminated).toBe(1);
});

it("a worker createWorker() made without terminate() fails the calls saying so (it could not be stopped)", async () => {
  const executor = new WorkerExecutor(() => new EventTarget() as never, { maxWorkers: 1 });
  const out = await run(function* () {
    const failure = yield* messageOf(() => executor.call("anything"));
    yield* executor.shutdown();
    return failure;
  });
  expect(out).toBe("TypeError: WorkerExecutor's createWorker() needs a worker with terminate(), got an object of class EventTarget");
});

/** The message and the cause of the error a call of `name` fails with, in a run of its own. */
function messageAndCauseOf(executor: WorkerExecutor<Record<string, () => unknown>>, name: string): Promise<[string, unknown]> {
  return run(function* (): Coroutine<[string, unknown]> {
    try {
      yield* executor.call(name);
      return ["no error", null];
    } catch (error) {
      return [(error as Error).message, (error as Error).cause];
    }
  });
}

it("a Web Worker whose script cannot be loaded (a bare error Event) fails its call saying so, the event as the cause", async () => {
  // What a browser's module worker does for a wrong URL: an "error" Event, no ErrorEvent.
  class UnloadableWorker extends EventTarget {
    postMessage(): void {
      queueMicrotask(() => this.dispatchEvent(new Event("error")));
    }
    terminate(): void {}
  }
  const executor = new WorkerExecutor(() => new UnloadableWorker());
  const [message, cause] = await messageAndCauseOf(executor, "anything");
  expect(message).toBe(
    'the worker running anything() failed before it served: its script could not be loaded (an "error" event without a message: is the worker\'s URL right?)',
  );
  expect(cause).toBeInstanceOf(Event);
});

it("a Web Worker that posts a note of its own, then fails as its module loads, fails its call before it served, the ErrorEvent as the cause", async () => {
  class BrokenModuleWorker extends EventTarget {
    postMessage(): void {
      queueMicrotask(() => {
        this.dispatchEvent(Object.assign(new Event("message"), { data: "loading" })); // not the executor's
        const failure = Object.assign(new Event("error"), {
          error: new SyntaxError("Unexpected token"),
          message: "Uncaught SyntaxError: Unexpected token",
        });
        this.dispatchEvent(failure);
      });
    }
    terminate(): void {}
  }
  const executor = new WorkerExecutor(() => new BrokenModuleWorker(), { maxWorkers: 1 });
  const [message, cause] = await messageAndCauseOf(executor, "anything");
  expect(message).toBe("the worker running anything() failed before it served: Uncaught SyntaxError: Unexpected token");
  expect(cause).toBeInstanceOf(Event);
});

it("a Web Worker's error event is the executor's to handle: its default (the host reporting an uncaught error besides) is prevented", async () => {
  let event!: Event;
  class FailingWorker extends InThreadWorker {
    postMessage(): void {
      queueMicrotask(() => (event = this.tell("error", { message: "Uncaught Error: boom" })));
    }
  }
  const executor = new WorkerExecutor(() => new FailingWorker(), { maxWorkers: 1 });
  const [message] = await messageAndCauseOf(executor, "anything");
  expect([message, event.defaultPrevented]).toEqual(["the worker running anything() failed: Uncaught Error: boom", true]);
});

it("bad input is refused with errors that name it", () => {
  expect(thrown(() => new WorkerExecutor(42 as never))).toBe(
    "TypeError: new WorkerExecutor() needs a function that creates a worker, got number 42",
  );
  expect(thrown(() => new WorkerExecutor(() => new Worker(WORKER), { maxWorkers: 0 }))).toBe(
    "RangeError: new WorkerExecutor(): maxWorkers must be a positive integer, got number 0",
  );
  expect(thrown(() => new WorkerExecutor(() => new Worker(WORKER), { maxWorkers: "2" as never }))).toBe(
    'TypeError: new WorkerExecutor(): maxWorkers must be a positive integer, got the string "2"',
  );
  expect(thrown(() => pool().call(...([7] as unknown as ["square", number])))).toBe("TypeError: call() needs a function name (a string), got number 7");
  expect(thrown(() => serveExecutor(null as never))).toBe("TypeError: serveExecutor() needs an object of functions, got null");
  if (!("Bun" in globalThis)) {
    // Node's global scope, as in a node:worker_threads worker, takes no messages (Bun's does).
    expect(thrown(() => serveExecutor({ square: (x: number) => x * x }))).toBe(
      "TypeError: serveExecutor() without a port serves a Web Worker's global scope, and this one takes no messages: under node:worker_threads, pass parentPort, serveExecutor(functions, parentPort!)",
    );
  }
  expect(made.length).toBe(0); // none of that made a worker
});

it("shutdown() outside a loop is refused and leaves the pool working", async () => {
  const executor = pool({ maxWorkers: 1 });
  expect(thrown(() => executor.shutdown())).toBe(
    "RuntimeError: no running event loop: WorkerExecutor.shutdown() is awaited in a task; from plain code, await run(() => pool.shutdown())",
  );
  const out = await run(function* () {
    const value = yield* executor.call("square", 9);
    yield* executor.shutdown();
    return value;
  });
  expect(out).toBe(81);
});
