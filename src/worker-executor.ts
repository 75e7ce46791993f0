import { ourErrorClass } from "./errors-by-name.js";
import { cancelledError, isThenable, refusedNumber, RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import type { Future } from "./future.js";
import type { EventLoop } from "./loop.js";
import { getRunningLoop, noRunningLoop, running } from "./running.js";
import { type ForeignFuture, until } from "./until.js";
import {
  type ClosingMessage,
  type ServingMessage,
  type InnerError,
  type JobMessage,
  listen,
  type OutcomeMessage,
  type UnreadableMessage,
  unreadableReason,
  type WorkerLike,
  type WorkerMessage,
} from "./worker-port.js";
import { flagOf, optionsOf } from "./options.js";
import { Ring } from "./ring.js";

/**
 * What a worker serves: functions by name (see `serveExecutor`). As a constraint it is
 * written `F extends WorkerFunctions<F>`, a mapped type over F's own keys, so that an
 * `interface` of methods fits: an interface has no index signature, and a
 * `Record<string, ...>` constraint would refuse it. Without an argument it is any object
 * of functions.
 *
 * @example
 * ```ts
 * interface HashFunctions { sha256(text: string): string }
 * const pool = new WorkerExecutor<HashFunctions>(makeWorker);
 * ```
 */
export type WorkerFunctions<F = Record<string, unknown>> = { [K in keyof F]: (...args: any[]) => unknown };

/** Options of a {@link WorkerExecutor}. */
export interface WorkerExecutorOptions {
  /** At most this many workers at once. Default: the host's `navigator.hardwareConcurrency`, else 4. */
  maxWorkers?: number | undefined;
}

/** Options of {@link WorkerExecutor.shutdown}. */
export interface WorkerExecutorShutdownOptions {
  /**
   * Cancel the calls still queued (not yet given to a worker) instead of running them,
   * as asyncio's `cancel_futures`: their futures are cancelled, so a task awaiting one
   * gets a CancelledError, and one nobody awaits is not reported. The running ones are
   * still waited for. Default false.
   */
  cancelPending?: boolean | undefined;
}

/** The message of the calls `shutdown({ cancelPending: true })` cancels. */
const SHUT_DOWN = "the executor was shut down";
const TERMINATED = "the executor's workers were terminated (terminateWorkers())";

/** How long at most a terminated worker still counts against maxWorkers (see discard). */
const STOPPING_GRACE_MS = 1_000;

/** One call, from `call()` until its outcome. */
interface Job {
  readonly id: number;
  readonly name: string;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The loop of the task that called. */
  readonly loop: EventLoop;
  /** The call's future, which `shutdown({ cancelPending: true })` cancels. */
  future: Future<unknown> | null;
  /** The worker running it; null while it waits in the queue. */
  slot: Slot | null;
  done: boolean;
}

/** One worker, and the job it runs. */
interface Slot {
  readonly worker: WorkerLike;
  job: Job | null;
  /** Terminated, or found broken: whatever it reports from now on is ignored. */
  dead: boolean;
  /** The loop of its last call: a failure between calls is reported to its handler. */
  loop: EventLoop | null;
  /** Its module reached `serveExecutor` (see {@link ServingMessage}). */
  serving: boolean;
}

/**
 * Runs functions on a pool of workers, for CPU-bound work that would stall the loop
 * (asyncio's `run_in_executor` with a process pool). The workers are the host's own, a
 * Web Worker or a `node:worker_threads` Worker, made by `createWorker` when they are
 * needed; each one runs a module that calls `serveExecutor` with its functions.
 *
 * `call(name, ...args)` returns a Future of the function's result: arguments and results
 * travel by structured clone, and an error the function throws is thrown to the caller.
 * Cancelling the task that waits for a call (a timeout, a TaskGroup failing) really
 * stops the work: a call still queued is dropped, and the worker running one is
 * terminated (a new one starts when needed; where `terminate()` returns a promise, as
 * node:worker_threads' does, once the old thread ended, or a second later at most, so
 * that a burst of cancellations does not leave many threads ending beside their
 * replacements). While a call runs, virtual time waits for it
 * as for any foreign promise (`until`).
 *
 * @example
 * ```ts
 * // hash.worker.ts:  serveExecutor({ sha256(text: string) { ... } });
 * const pool = new WorkerExecutor<{ sha256(text: string): string }>(
 *   () => new Worker(new URL("./hash.worker.ts", import.meta.url), { type: "module" }),
 *   { maxWorkers: 4 },
 * );
 * await run(function* () {
 *   const digests = yield* gather(texts.map((text) => pool.call("sha256", text)));
 *   yield* pool.shutdown();
 * });
 * ```
 */
export class WorkerExecutor<F extends WorkerFunctions<F> = WorkerFunctions> {
  /** The most workers this executor runs at once. */
  readonly maxWorkers: number;
  private readonly createWorker: () => WorkerLike;
  private readonly idle: Slot[] = [];
  private readonly busy = new Set<Slot>();
  private readonly queue = new Ring<Job>();
  private nextId = 0;
  private shuttingDown = false;
  /** Settles when the last call is done after shutdown(); every shutdown() waits for it. */
  private drained: Promise<void> | null = null;
  /** Settles `drained`. */
  private onDrained: (() => void) | null = null;
  /** An advance is due once the current burst of cancellations is over (see abandon). */
  private advancing = false;
  /**
   * Workers terminated whose thread has not ended yet (node's `terminate()` takes a
   * while): they count against `maxWorkers`, so that a burst of cancelled calls does not
   * leave dozens of threads ending beside their replacements.
   */
  private stopping = 0;

  constructor(createWorker: () => WorkerLike, executorOptions?: WorkerExecutorOptions) {
    if (typeof createWorker !== "function") {
      throw new TypeError(`new WorkerExecutor() needs a function that creates a worker, got ${describe(createWorker)}`);
    }
    const options = optionsOf(executorOptions, "new WorkerExecutor()", "maxWorkers");
    const fallback = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    const maxWorkers = options.maxWorkers ?? (fallback !== undefined && fallback > 0 ? fallback : 4);
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw refusedNumber(maxWorkers, `new WorkerExecutor(): maxWorkers must be a positive integer, got ${describe(maxWorkers)}`);
    }
    this.createWorker = createWorker;
    this.maxWorkers = maxWorkers;
  }

  /**
   * Runs the worker function `name` with `args` and returns a Future of its result.
   * @throws RuntimeError after {@link shutdown}, or outside a running loop.
   * @example
   * ```ts
   * const digest = yield* pool.call("sha256", "hello");
   * const digest2 = yield* waitFor(pool.call("sha256", big), 1_000); // stopped after a second
   * ```
   */
  call<K extends keyof F & string>(name: K, ...args: Parameters<F[K]>): Future<Awaited<ReturnType<F[K]>>> {
    if (typeof name !== "string") throw new TypeError(`call() needs a function name (a string), got ${describe(name)}`);
    if (this.shuttingDown) throw new RuntimeError("cannot schedule new calls after shutdown");
    let job: Job | undefined;
    const future = until(
      (signal) =>
        new Promise<Awaited<ReturnType<F[K]>>>((resolve, reject) => {
          job = {
            id: ++this.nextId,
            name,
            args,
            resolve: resolve as (value: unknown) => void,
            reject,
            loop: getRunningLoop(),
            future: null,
            slot: null,
            done: false,
          };
          signal.addEventListener("abort", () => this.abandon(job!, signal.reason), { once: true });
          this.queue.add(job);
          this.dispatch();
        }),
    ) as ForeignFuture<Awaited<ReturnType<F[K]>>>;
    if (job !== undefined) job.future = future;
    future._what = `call() of ${name} on a worker`;
    return future;
  }

  /**
   * Refuses new calls, waits for the calls already made (or, with `cancelPending`, only
   * for the running ones: the queued ones are cancelled), then terminates the
   * workers. Every call of it waits for the same end.
   * @throws RuntimeError outside a running loop (and nothing is shut down).
   * @example
   * ```ts
   * yield* pool.shutdown();
   * ```
   */
  shutdown(options?: WorkerExecutorShutdownOptions): Future<void> {
    const cancelPending = flagOf(optionsOf(options, "WorkerExecutor.shutdown()", "cancelPending").cancelPending, "WorkerExecutor.shutdown(): cancelPending");
    // Outside a loop: refused before anything changes.
    if (running.loop === null) {
      throw noRunningLoop(": WorkerExecutor.shutdown() is awaited in a task; from plain code, await run(() => pool.shutdown())");
    }
    this.shuttingDown = true;
    if (cancelPending) this.cancelQueued(SHUT_DOWN);
    if (this.drained === null) {
      this.drained = new Promise<void>((resolve) => {
        this.onDrained = resolve;
      });
      this.finishIfDrained();
    }
    return until(this.drained);
  }

  /**
   * Stops the pool at once, from anywhere, a loop running or not (Python 3.14's
   * `terminate_workers()`): new calls are refused, the queued ones are cancelled, the
   * running ones fail with a RuntimeError, and every worker is terminated. For what
   * {@link shutdown} would wait on for good: a call whose future was dropped, a loop
   * closed while a call ran, a test's cleanup.
   * @example
   * ```ts
   * await run(main);
   * pool.terminateWorkers(); // whatever main left running on the pool stops now
   * ```
   */
  terminateWorkers(): void {
    this.shuttingDown = true;
    this.cancelQueued(TERMINATED);
    for (const slot of [...this.busy]) {
      const job = slot.job!;
      this.discard(slot);
      this.settle(job, false, new RuntimeError(`the worker running ${job.name}() was stopped: ${TERMINATED}`));
    }
    for (const slot of this.idle.splice(0)) this.discard(slot);
    this.finishIfDrained();
  }

  /** Starts queued jobs on idle workers, making workers up to the limit. */
  private dispatch(): void {
    for (;;) {
      while (this.queue.peek()?.done) this.queue.take(); // cancelled while queued
      if (this.queue.length === 0) return;
      let slot = this.idle.pop() ?? null;
      if (slot === null) {
        if (this.busy.size + this.stopping >= this.maxWorkers) return;
        slot = this.spawn();
        if (slot === null) return;
      }
      const job = this.queue.take();
      hold(slot.worker, true);
      slot.job = job;
      slot.loop = job.loop;
      job.slot = slot;
      this.busy.add(slot);
      const message: JobMessage = { id: job.id, name: job.name, args: job.args };
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        // The arguments could not be cloned: the call fails, the worker is fine.
        this.release(slot);
        this.settle(job, false, new TypeError(`the arguments of ${job.name} cannot be sent to a worker: ${String(error)}`, { cause: error }));
      }
    }
  }

  /**
   * Takes every queued job off, and cancels its future with `message`, which aborts the
   * job (see `abandon`). The future of a loop closed since cannot be: its job just ends.
   */
  private cancelQueued(message: string): void {
    while (this.queue.length > 0) {
      const job = this.queue.take();
      if (job.loop.isClosed()) this.settle(job, false, cancelledError(message));
      else job.future?.cancel(message);
    }
  }

  /** Fails every queued job with `error` (one cancelled already stays as it is). */
  private failQueued(error: unknown): void {
    while (this.queue.length > 0) this.settle(this.queue.take(), false, error);
  }

  /** A new worker, listened to; null (and every queued job failed) if it cannot be made. */
  private spawn(): Slot | null {
    let worker: WorkerLike;
    try {
      worker = this.createWorker();
    } catch (error) {
      // Named, since what it threw may say nothing of where (or be nothing: `undefined`).
      this.failQueued(new RuntimeError(`WorkerExecutor's createWorker() failed: ${reasonOf(error)}`, { cause: error }));
      return null;
    }
    try {
      // Checked now, not when a cancelled call must stop it, from an event listener.
      if (typeof (worker as Partial<WorkerLike> | null)?.terminate !== "function") {
        throw new TypeError(`WorkerExecutor's createWorker() needs a worker with terminate(), got ${describe(worker)}`);
      }
      const slot: Slot = { worker, job: null, dead: false, loop: null, serving: false };
      listen(worker, "message", (data) => this.onMessage(slot, data as WorkerMessage | null), "WorkerExecutor's createWorker()");
      listen(worker, "error", (error) => this.onBroken(slot, error), "WorkerExecutor's createWorker()");
      listen(worker, "messageerror", (reason) => this.onUnreadable(slot, `its outcome could not be read: ${unreadableReason(reason)}`), "WorkerExecutor's createWorker()");
      // A worker can also just exit (process.exit) without an error: node:worker_threads
      // emits "exit", and Bun's Web Worker a "close" event.
      // Code 0 before it served is most often a module that never calls serveExecutor():
      // nothing kept it alive.
      const exited = (code: unknown): void =>
        this.onBroken(slot, `it exited with code ${code}${code === 0 && !slot.serving ? " (does its module call serveExecutor()?)" : ""}`);
      (worker as { on?: (type: string, listener: (code: number) => void) => void }).on?.("exit", exited);
      (worker as { addEventListener?: (type: string, listener: (event: { code?: unknown }) => void) => void }).addEventListener?.("close", (event) =>
        exited(event.code),
      );
      return slot;
    } catch (error) {
      // Not a worker this executor can listen to: the calls fail saying so, and what was
      // made is not left running.
      try {
        void worker.terminate();
      } catch {}
      this.failQueued(error);
      return null;
    }
  }

  private onMessage(slot: Slot, message: WorkerMessage | null): void {
    // What the worker's own code posts (progress, say) is not for the executor.
    if (typeof message !== "object" || message === null) return;
    if ((message as ClosingMessage).closing === true) {
      // The worker closed itself or exits, busy or idle: its call fails, and the next one
      // goes to a new worker.
      this.onBroken(slot, String((message as ClosingMessage).how ?? "it closed itself (close())"));
      return;
    }
    // It serves: it said so, or it answered (its ServingMessage may still be on its way).
    slot.serving = true;
    if ((message as ServingMessage).serving === true) return;
    if (typeof (message as UnreadableMessage).unreadable === "string") {
      this.onUnreadable(slot, `the worker could not read its arguments: ${(message as UnreadableMessage).unreadable}`);
      return;
    }
    const outcome = message as OutcomeMessage;
    const job = slot.job;
    if (slot.dead || job === null || outcome.id !== job.id) return; // a job abandoned since
    this.release(slot);
    if (outcome.ok) this.settle(job, true, outcome.value);
    else this.settle(job, false, restored(outcome));
    this.advance();
  }

  /**
   * The worker failed outside any function (an error its code left behind, or an exit,
   * given as a string): its job fails, and it is dropped. The job fails with a
   * RuntimeError of its own, the worker's error as its cause, not as if its function had
   * thrown that error: it may come from an earlier call's leftovers (Python's pool raises
   * BrokenProcessPool). A worker that fails between calls has no job to fail: the loop of
   * its last call reports it, so that the error is not lost. A worker that fails before
   * it served failed in its module, as every new one would: the queued calls fail with
   * it, as Python's broken pool fails them, rather than each after a worker of its own.
   */
  private onBroken(slot: Slot, error: unknown): void {
    if (slot.dead) return;
    const job = slot.job;
    this.discard(slot);
    const reason = typeof error === "string" ? error : reasonOf(error);
    const cause = typeof error === "string" ? undefined : { cause: error };
    const which = job === null ? "idle since its last call" : `running ${job.name}()`;
    const failure = new RuntimeError(`the worker ${which} failed${slot.serving ? "" : " before it served"}: ${reason}`, cause);
    if (!slot.serving) this.failQueued(new RuntimeError(`a worker of the pool failed before it served: ${reason}`, cause));
    if (job !== null) this.settle(job, false, failure);
    else slot.loop?.callExceptionHandler({ message: "A WorkerExecutor's worker failed between calls; the next call starts a new one", exception: failure });
    this.advance();
  }

  /**
   * A message between the executor and the worker arrived but could not be read: the
   * call the worker runs fails saying so, rather than wait for an answer that will never
   * come, and the worker, which is fine, is free for the next one.
   */
  private onUnreadable(slot: Slot, why: string): void {
    const job = slot.job;
    if (slot.dead || job === null) return;
    this.release(slot);
    this.settle(job, false, new RuntimeError(`${job.name}() failed: ${why}`));
    this.advance();
  }

  /** The waiting task was cancelled: drop the job, or stop the worker running it. */
  private abandon(job: Job, reason: unknown): void {
    if (job.done) return;
    const slot = job.slot;
    if (slot !== null) this.discard(slot);
    // A queued job stays in the queue, done, until dispatch drops it: finding it there
    // made cancelling n queued calls take n² steps.
    this.settle(job, false, reason);
    // Cancellations come in bursts (a gather or a task group of calls, cancelled): each
    // one dispatching at once started the next queued call, about to be cancelled too, on
    // a new worker, to stop it again, so cancelling 10,000 calls made 10,000 workers.
    // The queue moves on once the burst is over.
    if (!this.advancing) {
      this.advancing = true;
      queueMicrotask(() => {
        this.advancing = false;
        this.advance();
      });
    }
  }

  /** After a job ended or left: start what waits, and finish a shutdown that waited for it. */
  private advance(): void {
    this.dispatch();
    this.finishIfDrained();
  }

  /** The worker's job is over: the worker is free for the next one. */
  private release(slot: Slot): void {
    this.detach(slot);
    hold(slot.worker, false);
    this.idle.push(slot);
  }

  /** The worker is terminated and forgotten; its job, if any, is no longer its own. */
  private discard(slot: Slot): void {
    slot.dead = true;
    this.detach(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    const stopped = slot.worker.terminate();
    if (!isThenable(stopped)) return;
    // Counted until its thread ended, or for STOPPING_GRACE_MS at most: a thread in a
    // native call (a sync child process, zlib, scrypt) ends only when that call returns,
    // and a custom worker's promise may never settle.
    this.stopping++;
    let counted = true;
    const ended = (): void => {
      if (!counted) return;
      counted = false;
      clearTimeout(grace);
      this.stopping--;
      try {
        this.advance();
      } catch {
        // a custom worker's terminate() that throws: nothing waits on this promise
      }
    };
    const grace = setTimeout(ended, STOPPING_GRACE_MS);
    (grace as { unref?: () => void }).unref?.();
    stopped.then(ended, ended);
  }

  /** Unlinks the slot and its job, and takes the slot out of the busy set. */
  private detach(slot: Slot): void {
    if (slot.job !== null) slot.job.slot = null;
    slot.job = null;
    this.busy.delete(slot);
  }

  private settle(job: Job, ok: boolean, value: unknown): void {
    if (job.done) return;
    job.done = true;
    if (ok) job.resolve(value);
    else job.reject(value);
  }

  private finishIfDrained(): void {
    if (this.onDrained === null || this.busy.size > 0 || this.queue.length > 0) return;
    for (const slot of this.idle.splice(0)) this.discard(slot);
    const done = this.onDrained;
    this.onDrained = null;
    done();
  }
}

/** What a worker's or createWorker()'s error says, for a message: its message, or itself. */
function reasonOf(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null)?.message;
    if (message !== undefined) return String(message);
    // A Web Worker whose script could not be loaded (a wrong URL, a script the page's
    // policy refused) fires a bare Event, which says nothing of itself: "[object Event]".
    if (typeof Event === "function" && error instanceof Event) {
      return `its script could not be loaded (an "${error.type}" event without a message: is the worker's URL right?)`;
    }
    return String(error);
  } catch {
    return describe(error); // a revoked Proxy, a getter that throws
  }
}

/**
 * The error a worker's function threw, as close to what it threw as its clone can be
 * made: with the fields the clone dropped (see `OutcomeMessage`), of this package's class
 * of that name, and a DOMException again where the host cloned it as a bare object. Each
 * field is defined as the error's own, since a clone may have only a getter for one (a
 * DOMException's `name`, which plain assignment refuses); one that cannot be defined is
 * left as the clone has it. Nothing here may throw: the call would never settle.
 */
function restored({ error, fields, errors, dom, ours, cause }: InnerError): unknown {
  if (fields === undefined || typeof error !== "object" || error === null) return error;
  if (dom && !(error instanceof Error) && typeof DOMException === "function") {
    error = new DOMException(String(fields.message), String(fields.name));
  }
  const ourClass = ours ? ourErrorClass(fields.name) : undefined;
  try {
    if (ourClass !== undefined && error instanceof Error) Object.setPrototypeOf(error, ourClass.prototype);
  } catch {}
  for (const [key, value] of Object.entries(fields)) {
    if ((error as Record<string, unknown>)[key] === value) continue;
    try {
      Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: key !== "name" && key !== "message" && key !== "cause" });
    } catch {}
  }
  if (cause !== undefined) {
    try {
      Object.defineProperty(error, "cause", { value: restored(cause), writable: true, configurable: true });
    } catch {}
  }
  if (Array.isArray(errors)) {
    // An AggregateError (an ExceptionGroup: `split()` and all, given its class above)
    // again, with its errors.
    try {
      if (!(error instanceof AggregateError)) Object.setPrototypeOf(error, AggregateError.prototype);
      Object.defineProperty(error, "errors", { value: errors.map(restored), writable: true, configurable: true });
    } catch {}
  }
  return error;
}

/**
 * Whether a worker keeps the process alive (node:worker_threads and Bun; Web Workers
 * have no say). A busy one does, since its caller waits; an idle one does not, so that a
 * program that never reached `shutdown()` (its main failed first) still exits, as
 * Python's does with a pool it did not shut down.
 */
function hold(worker: WorkerLike, busy: boolean): void {
  const node = worker as { ref?: () => void; unref?: () => void };
  if (busy) node.ref?.();
  else node.unref?.();
}
