import type { Coroutine, ScopeBody, ScopeOperation, ScopeYielded, TaskBody, Yielded } from "./coroutine.js";
import { checkScopeBody, isCoroutine, scopeBody } from "./coroutine.js";
import { isCancelledError, ExceptionGroup, RuntimeError } from "./errors.js";
import { type Future, retrieveIfFailed } from "./future.js";
import type { EventLoop, TaskOptions } from "./loop.js";
import { currentTask, getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import type { Task } from "./task.js";
import { mustAwait } from "./must-await.js";
import { Shown } from "./inspect-hook.js";

/**
 * A scope that owns the tasks started in it (asyncio.TaskGroup). The scope does not end
 * until every one of its tasks has ended. The first task that fails cancels the others
 * and the body; all the errors come out together as an {@link ExceptionGroup}, the
 * children's first and the body's own last. Cancelling the task that runs the group
 * cancels every task in it.
 *
 * Use it through {@link taskGroup}.
 *
 * @example
 * ```ts
 * yield* taskGroup(function* (tg) {
 *   for (const url of urls) tg.createTask(download(url));
 * }); // every download finished here, or all were cancelled and an ExceptionGroup raised
 * ```
 */
export class TaskGroup extends Shown {
  private entered = false;
  private exiting = false;
  private aborting = false;
  /** The group itself cancelled its parent task (a child failed, or cancel()). */
  private parentCancelRequested = false;
  /** The parent's CancelledError came from cancel(), not from a failure or from outside. */
  private cancelledByRequest = false;
  private loop: EventLoop | null = null;
  private parent: Task<unknown> | null = null;
  private readonly tasks = new Set<Task<unknown>>();
  private errors: unknown[] = [];
  private onCompleted: Future<void> | null = null;

  /**
   * Starts a task in the group.
   *
   * @example
   * ```ts
   * yield* taskGroup(function* (tg) {
   *   tg.createTask(download("a"));
   *   tg.createTask(download("b"), { name: "b" });
   * }); // both downloads are done here
   * ```
   */
  createTask<T>(body: TaskBody<T>, options?: TaskOptions): Task<T> {
    const refusal = !this.entered
      ? "has not been entered"
      : this.finished()
        ? "is finished"
        : this.aborting
          ? "is shutting down"
          : null;
    if (refusal !== null) {
      // As asyncio closes the coroutine: it will not run, and a later `yield*` of it would
      // otherwise run it outside the group.
      if (isCoroutine(body)) body.return?.(undefined);
      throw new RuntimeError(`TaskGroup ${this.toString()} ${refusal}`);
    }
    const task = this.loop!.createTask(body, options);
    // An eager task may be done already: it counts at once, as in asyncio (a failure
    // starts the abort before the next createTask).
    if (task.done()) {
      this.onTaskDone(task);
    } else {
      this.tasks.add(task as Task<unknown>);
      task._addCallback(this.onTaskDone);
      // Its eager first step may have cancelled the group, before it was in it to be
      // cancelled (CPython gh-155418).
      if (this.aborting) task.cancel();
    }
    return task;
  }

  /**
   * Cancels every task in the group and the body; the group then ends without raising
   * CancelledError (asyncio 3.15), and `taskGroup()` returns `undefined` if the body was
   * interrupted (it has no result then). Does nothing once the group has finished, or
   * before it is entered (only `taskGroup()` enters one).
   *
   * @example
   * ```ts
   * yield* taskGroup(function* (tg) {
   *   tg.createTask(serveForever());
   *   yield* shutdownRequested.wait();
   *   tg.cancel();
   * });
   * ```
   */
  cancel(): void {
    if (!this.entered || this.finished()) return;
    if (!this.aborting) this.abort();
    if (!this.parentCancelRequested) {
      this.parentCancelRequested = true;
      this.cancelledByRequest = true;
      this.parent!.cancel();
    }
  }

  /**
   * `<TaskGroup tasks=2 entered>`, `<TaskGroup tasks=1 errors=1 cancelling>`: the tasks
   * still running, the errors so far, and its state, as asyncio's repr.
   * @example
   * ```ts
   * yield* taskGroup(function* (tg) {
   *   tg.createTask(sleep(10));
   *   String(tg); // "<TaskGroup tasks=1 entered>"
   * });
   * ```
   */
  override toString(): string {
    const { size } = this.tasks;
    const errors = this.errors.length;
    const state = this.aborting ? " cancelling" : this.entered ? " entered" : "";
    return `<TaskGroup${size > 0 ? ` tasks=${size}` : ""}${errors > 0 ? ` errors=${errors}` : ""}${state}>`;
  }

  /** @internal The group is over, however it ended: its parent's tree no longer shows it. */
  _leave(): void {
    openGroups.get(this.parent!)?.delete(this);
  }

  /** @internal The tasks started and not yet done. */
  _openTasks(): ReadonlySet<Task<unknown>> {
    return this.tasks;
  }

  /** @internal */
  _enter(): void {
    if (this.entered) throw new RuntimeError("TaskGroup has already been entered");
    this.loop = getRunningLoop();
    this.parent = currentTask();
    if (this.parent === null) throw new RuntimeError("TaskGroup cannot determine the parent task");
    this.entered = true;
    const groups = openGroups.get(this.parent);
    if (groups === undefined) openGroups.set(this.parent, new Set([this]));
    else groups.add(this);
  }

  /**
   * @internal Waits for the children, then decides what the scope raises: throws the
   * group's error, or returns whether the body's own error is to be swallowed (only the
   * CancelledError of cancel()); otherwise that error goes on.
   */
  *_exit(failed: boolean, error: unknown): Coroutine<boolean> {
    this.exiting = true;
    let propagateCancellation: unknown = failed && isCancelledError(error) ? error : undefined;
    if (failed && !this.aborting) {
      // The body failed, or the parent is being cancelled: stop the children.
      this.abort();
    }
    // The last cancellation that came while it waited for the children.
    let pendingCancellation: unknown;
    while (this.tasks.size > 0) {
      this.onCompleted ??= new WaitingFuture<void>(this.loop!, "the end of its taskGroup()", null);
      try {
        yield* this.onCompleted;
      } catch (cancelled) {
        if (!isCancelledError(cancelled)) throw cancelled;
        pendingCancellation = cancelled;
        if (!this.aborting) {
          // The parent is cancelled while it waits here for its children.
          propagateCancellation = cancelled;
          this.abort();
        }
      }
      this.onCompleted = null;
    }
    if (this.parentCancelRequested) {
      // Every cancellation of the parent was our own: do not let it escape. One is left
      // that is not ours (the parent was cancelled from outside after `tg.cancel()`): it
      // must not be lost (CPython gh-155433).
      if (this.parent!.uncancel() === 0) propagateCancellation = undefined;
      else propagateCancellation ??= pendingCancellation;
    }
    if (propagateCancellation !== undefined && this.errors.length === 0) throw propagateCancellation;
    if (failed && !isCancelledError(error)) this.errors.push(error);
    if (this.errors.length > 0) {
      // A cancellation from outside must survive our own uncancel(): cancel the parent
      // again so its count stays what it was (asyncio 3.13).
      if (this.parent!.cancelling() > 0) {
        this.parent!.uncancel();
        this.parent!.cancel();
      }
      const errors = this.errors;
      this.errors = []; // they are the ExceptionGroup's now (asyncio drops them at exit too)
      throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
    }
    return this.cancelledByRequest && failed && isCancelledError(error);
  }

  /** Its body returned or failed, and every task in it is done: it takes no more. */
  private finished(): boolean {
    return this.exiting && this.tasks.size === 0;
  }

  private abort(): void {
    this.aborting = true;
    for (const task of this.tasks) if (!task.done()) task.cancel();
  }

  private readonly onTaskDone = (future: Future<unknown>): void => {
    const task = future as Task<unknown>;
    this.tasks.delete(task);
    if (this.onCompleted !== null && this.tasks.size === 0 && !this.onCompleted.done()) {
      this.onCompleted.setResult();
    }
    if (!retrieveIfFailed(task)) return;
    const error = task._result;
    this.errors.push(error);
    if (this.parent!.done()) {
      this.loop!.callExceptionHandler({
        message: `Task ${task.getName()} has errored out but its parent task ${this.parent!.getName()} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this.aborting && !this.parentCancelRequested) {
      // Stop the children and interrupt the body; the exit undoes this cancellation.
      this.abort();
      this.parentCancelRequested = true;
      this.parent!.cancel();
    }
  };
}

/**
 * Runs `body` with a new {@link TaskGroup} and waits for all the tasks it started
 * (structured concurrency). Returns what the body returns, or `undefined` when the body
 * was interrupted by the group's own `tg.cancel()` (the type leaves that case out: a body
 * that may be cancelled so had better return nothing). If any task fails, the others
 * and the body are cancelled and an ExceptionGroup is raised once all have ended.
 *
 * @example
 * ```ts
 * const [a, b] = yield* taskGroup(function* (tg) {
 *   return [tg.createTask(fetchPage("a")), tg.createTask(fetchPage("b"))] as const;
 * });
 * console.log(a.result(), b.result()); // both are done once the group has exited
 * ```
 */
export function taskGroup<T, Y extends ScopeYielded = Yielded>(body: ScopeBody<TaskGroup, T, Y>): ScopeOperation<T, Y> {
  checkScopeBody(body, "taskGroup()");
  return mustAwait(enterGroup(body as ScopeBody<TaskGroup, T>), "taskGroup()") as ScopeOperation<T, Y>;
}

function* enterGroup<T>(body: ScopeBody<TaskGroup, T>): Coroutine<T> {
  const group = new TaskGroup();
  group._enter();
  try {
    return yield* runGroup(group, body);
  } finally {
    group._leave();
  }
}

/** The body of an entered group, then its exit: waiting for its tasks, raising their errors. */
function* runGroup<T>(group: TaskGroup, body: ScopeBody<TaskGroup, T>): Coroutine<T> {
  let result: T;
  try {
    result = yield* scopeBody(body, group, "taskGroup()");
  } catch (error) {
    if (yield* group._exit(true, error)) return undefined as T;
    throw error;
  }
  yield* group._exit(false, undefined);
  return result;
}

/**
 * @internal The TaskGroups each task is inside of: their tasks are its children in the
 * task tree (as asyncio 3.14 counts a group's tasks as awaited by its parent task).
 */
export const openGroups = /* @__PURE__ */ new WeakMap<Task<unknown>, Set<TaskGroup>>();

