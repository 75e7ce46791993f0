import { Context, copyContext } from "./context.js";
import { type MainBody, type TaskBody, toCoroutine } from "./coroutine.js";
import { RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { EventLoop, LOOP_OPTIONS, type LoopOptions } from "./loop.js";
import { running } from "./running.js";
import { shutDown } from "./shut-down.js";
import { optionsOf } from "./options.js";

/** Options of {@link Runner.run}. */
export interface RunnerRunOptions {
  /**
   * The Context the main task runs in (from `copyContext()` or `new Context()`), so that
   * what it sets is seen through it after. Default: the runner's own, which each `run`
   * shares (as asyncio's Runner does).
   */
  context?: Context | undefined;
}

/**
 * Runs several main coroutines, one after another, on one event loop (asyncio.Runner).
 * They share the loop, so tasks one leaves running go on during the next, and they share
 * one Context, copied at the first `run()` (or `getLoop()`), as asyncio's, so what one
 * sets with a ContextVar the next sees. {@link close} then does what the end of `run()` does: it cancels the tasks
 * left and waits for them, and closes the loop.
 *
 * @example
 * ```ts
 * const runner = new Runner({ clock: "virtual" });
 * try {
 *   await runner.run(connect);
 *   await runner.run(serveOneRequest); // same loop, and sees what connect set
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export class Runner {
  private readonly loop: EventLoop;
  /** Copied at the first run() or getLoop(), not when the runner is made, as asyncio's. */
  private context: Context | null = null;
  private closing: Promise<void> | null = null;

  /** @throws TypeError for bad options, as `new EventLoop(options)` does. */
  constructor(options?: LoopOptions) {
    this.loop = new EventLoop(optionsOf(options, "new Runner()", LOOP_OPTIONS));
  }

  /**
   * Runs `main` as a task on the runner's loop until it is done, and resolves with what it
   * returns (or rejects with what it throws). Tasks it leaves running stay on the loop.
   * Rejects with a RuntimeError from inside a running loop, after {@link close}, or while
   * another `run` of this runner is in progress.
   * @example
   * ```ts
   * const user = await runner.run(function* () { return yield* login(); });
   * ```
   */
  async run<T>(main: MainBody<T>, options?: RunnerRunOptions): Promise<T> {
    if (running.loop !== null) throw new RuntimeError("Runner.run() cannot be called from a running event loop");
    if (this.closing !== null) throw new RuntimeError("Runner is closed");
    if (this.loop.isRunning()) throw new RuntimeError("Runner.run() is already running a coroutine");
    this.context ??= copyContext();
    const context = optionsOf(options, "Runner.run()", "context").context ?? this.context;
    if (!(context instanceof Context)) throw new TypeError(`Runner.run(): context must be a Context, got ${describe(context)}`);
    return this.loop.runUntilComplete(this.loop.createTask(toCoroutine(main as TaskBody<T>, "Runner.run()"), { context }));
  }

  /**
   * Cancels the tasks still on the loop, waits for them to finish, reports the errors
   * they ended with to the exception handler, and closes the loop. Later calls return the
   * same promise. A runner never used (no `run()` nor `getLoop()` yet) has nothing to
   * close: this does nothing, and it may still run, as asyncio's.
   * @example
   * ```ts
   * await runner.close();
   * ```
   */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    if (this.context === null) return Promise.resolve();
    if (this.loop.isRunning()) return Promise.reject(new RuntimeError("Runner.close() cannot be called while run() is in progress"));
    this.closing = shutDown(this.loop);
    return this.closing;
  }

  /**
   * The runner's event loop.
   * @throws RuntimeError once the runner is closed, as asyncio's.
   * @example
   * ```ts
   * runner.getLoop().callLater(1_000, () => console.log("tick"));
   * ```
   */
  getLoop(): EventLoop {
    if (this.closing !== null) throw new RuntimeError("Runner is closed");
    this.context ??= copyContext();
    return this.loop;
  }
}
