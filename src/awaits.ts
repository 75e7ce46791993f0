import { Future, FutureState } from "./future.js";
import { GatheringFuture } from "./gather.js";
import type { EventLoop } from "./loop.js";
import { milliseconds } from "./milliseconds.js";
import { describe } from "./describe.js";
import { currentTask } from "./running.js";
import { Task, Wait } from "./task.js";
import { Handle } from "./handle.js";
import { openGroups, type TaskGroup } from "./task-group.js";
import { expireTimeout, type Timeout } from "./timeouts.js";
import { ForeignFuture } from "./until.js";
import { WaitingFuture } from "./waiting-future.js";

/**
 * What waits on what among a loop's unfinished tasks, read from the runtime's own state
 * when asked (nothing is recorded while the program runs):
 *
 * - a task waits on the future it is parked on, and on the tasks of each TaskGroup it is
 *   inside of (as asyncio 3.14 counts them);
 * - a gather waits on its children; shield, wait, waitFor and asCompleted wait on the
 *   futures they watch (see {@link WaitingFuture}).
 *
 * This is the one place that knows how; the task tree and the call graph both read it.
 */
export class AwaitGraph {
  /** The pending tasks, in creation order. */
  readonly tasks: readonly Task<unknown>[];
  private readonly awaits = new Map<Future<unknown>, Set<Future<unknown>>>();
  private readonly awaitedBy = new Map<Future<unknown>, Set<Future<unknown>>>();
  private parents: Map<Task<unknown>, Task<unknown>[]> | null = null;
  private deadlines: Map<Task<unknown>, number[]> | null = null;

  constructor(private readonly loop: EventLoop) {
    this.tasks = [...loop._tasks];
    const pending: Future<unknown>[] = [...this.tasks];
    while (pending.length > 0) {
      const future = pending.pop()!;
      if (this.awaits.has(future)) continue;
      const targets = directlyAwaited(future);
      this.awaits.set(future, targets);
      for (const target of targets) {
        const awaiters = this.awaitedBy.get(target);
        if (awaiters === undefined) this.awaitedBy.set(target, new Set([future]));
        else awaiters.add(future);
        pending.push(target);
      }
    }
  }

  /** The futures and tasks `future` waits on itself (not through others). */
  awaitsOf(future: Future<unknown>): ReadonlySet<Future<unknown>> {
    return this.awaits.get(future) ?? directlyAwaited(future);
  }

  /** When the timeout scopes `task` is inside of expire, earliest first. */
  timeoutsOf(task: Task<unknown>): readonly number[] {
    if (this.deadlines === null) {
      // The timeout scopes still to expire are among the loop's timers, with their scope:
      // looked up once, and only by those who ask (the timeline does not).
      this.deadlines = new Map();
      for (const runnable of this.loop._table) {
        if (!(runnable instanceof Handle) || runnable._callback !== expireTimeout) continue;
        const scope = runnable._args![0] as Timeout;
        if (scope._task === null) continue;
        const known = this.deadlines.get(scope._task);
        if (known === undefined) this.deadlines.set(scope._task, [scope.when()]);
        else known.push(scope.when());
      }
      for (const times of this.deadlines.values()) times.sort((a, b) => a - b);
    }
    return this.deadlines.get(task) ?? NO_DEADLINES;
  }

  /** The tasks and futures that wait on `future` themselves. */
  awaitersOf(future: Future<unknown>): ReadonlySet<Future<unknown>> {
    return this.awaitedBy.get(future) ?? NONE;
  }

  /**
   * The tasks that `task` waits on, through any futures in between (a gather's children,
   * what a shield protects): its children in the task tree.
   */
  awaitedTasks(task: Task<unknown>): Task<unknown>[] {
    return tasksAwaitedBy(task, (future) => this.awaitsOf(future));
  }

  /** The tasks that wait on `task`, through any futures in between: its parents in the task tree. */
  awaitingTasks(task: Task<unknown>): readonly Task<unknown>[] {
    if (this.parents === null) {
      this.parents = new Map();
      for (const parent of this.tasks) {
        for (const child of this.awaitedTasks(parent)) {
          const known = this.parents.get(child);
          if (known === undefined) this.parents.set(child, [parent]);
          else known.push(parent);
        }
      }
    }
    return this.parents.get(task) ?? NO_TASKS;
  }
}

/**
 * The tasks that `task` waits on, through any futures in between (a gather's children,
 * what a shield protects), each future's own targets given by `awaitsOf`; without it,
 * read from the runtime's state for just these futures.
 */
export function tasksAwaitedBy(
  task: Task<unknown>,
  awaitsOf: (future: Future<unknown>) => ReadonlySet<Future<unknown>> = directlyAwaited,
): Task<unknown>[] {
  const found: Task<unknown>[] = [];
  const seen = new Set<Future<unknown>>([task]);
  // Depth first through the futures in between (a gather of gathers...), from a stack
  // of its own, which a nesting of any depth cannot overflow.
  const stack: Iterator<Future<unknown>>[] = [awaitsOf(task)[Symbol.iterator]()];
  while (stack.length > 0) {
    const next = stack[stack.length - 1]!.next();
    if (next.done === true) {
      stack.pop();
      continue;
    }
    const target = next.value;
    if (seen.has(target)) continue;
    seen.add(target);
    if (target instanceof Task) found.push(target);
    else stack.push(awaitsOf(target)[Symbol.iterator]());
  }
  return found;
}

/**
 * Whether `task` can come to wait on new tasks without taking a step: it is inside a
 * TaskGroup (another task may start one in it), or parked on a WaitingFuture that watches
 * a live collection of futures (staggeredRace's runners, each started by the one before).
 */
export function gainsTasksUnseen(task: Task<unknown>): boolean {
  if ((openGroups.get(task)?.size ?? 0) > 0) return true;
  const waiter = parkedOn(task);
  return waiter instanceof WaitingFuture && waiter._on !== null && !(waiter._on instanceof Future) && isFutures(waiter._on);
}

/** Whether `task`, which {@link gainsTasksUnseen}, waits on `other` that way. */
export function waitsUnseenOn(task: Task<unknown>, other: Task<unknown>): boolean {
  for (const group of openGroups.get(task) ?? NO_GROUPS) if (group._openTasks().has(other)) return true;
  const waiter = task._awaiting;
  if (!(waiter instanceof WaitingFuture)) return false;
  const on = waiter._on;
  return on instanceof Set ? on.has(other) : Array.isArray(on) && on.includes(other);
}

/**
 * The primitive (a Lock, a Queue...) whose description is part of what `task` waits on,
 * `acquire() on <Lock [locked, waiters:1]>`: it changes as other tasks use the primitive.
 */
export function primitiveOf(task: Task<unknown>): object | null {
  const waiter = parkedOn(task);
  if (!(waiter instanceof WaitingFuture)) return null;
  const on = waiter._on;
  return isPrimitive(on) ? on : null;
}

/** The future `task` is parked on, or null: it sleeps, is ready, or is done. */
function parkedOn(task: Task<unknown>): Future<unknown> | null {
  return task._wait === Wait.Future || task._wait === Wait.CancellingWaiter ? task._awaiting : null;
}

/** Whether what a WaitingFuture waits on is a primitive (a Lock, a Queue...), not futures or nothing. */
function isPrimitive(on: object | null): on is object {
  return !(on === null || on instanceof Future || isFutures(on));
}

/** Where a task stands: the state words of the task tree. */
export type TaskActivity = "running" | "ready" | "sleeping" | "waiting";

/** What `task` is doing now, and what it waits on, in words ("" when it waits on nothing). */
export function activityOf(task: Task<unknown>): { activity: TaskActivity; waitingOn: string } {
  if (task === currentTask()) return { activity: "running", waitingOn: "" };
  switch (task._wait) {
    case Wait.Timer:
      // The core knows when the sleep's timer is due; the task does not keep it.
      const loop = task._loop;
      if (loop.isClosed()) return { activity: "sleeping", waitingOn: "sleep(), on a closed loop" };
      const deadline = loop._core.timerDeadline(task._timer);
      // Not in the core: it expired in this iteration, and the step that ends it is queued.
      if (Number.isNaN(deadline)) return { activity: "ready", waitingOn: "" };
      return { activity: "sleeping", waitingOn: `sleep() until ${milliseconds(deadline)} ms` };
    case Wait.Forever:
      return { activity: "sleeping", waitingOn: "sleep(Infinity)" };
    case Wait.Future:
    case Wait.CancellingWaiter:
      // A future that is done has the task's wake-up queued: its next step is scheduled.
      if (task._awaiting!.done()) return { activity: "ready", waitingOn: "" };
      return { activity: "waiting", waitingOn: describeAwaited(task._awaiting!) };
    default:
      // A step is scheduled: the task's first, the one after a bare `yield`, or the one
      // that ends (or cancels) its sleep.
      return { activity: "ready", waitingOn: "" };
  }
}

/**
 * What a pending task is doing, as the task tree and the call graph say it: what it waits
 * on, else its activity, then its timeout scopes' deadlines (`sleep() until 300 ms,
 * timeout at 500 ms`, `running`).
 */
export function describeDoing(activity: TaskActivity, waitingOn: string, timeouts: readonly number[]): string {
  return (waitingOn === "" ? activity : waitingOn) + describeTimeouts(timeouts);
}

/** `, timeout at 500 ms`, `, timeouts at 200, 500 ms`, or "" for none: what follows a wait. */
export function describeTimeouts(timeouts: readonly number[]): string {
  if (timeouts.length === 0) return "";
  return `, timeout${timeouts.length > 1 ? "s" : ""} at ${timeouts.map(milliseconds).join(", ")} ms`;
}

/** A future as the task tree names it: what the user called to get it. */
export function describeAwaited(future: Future<unknown>): string {
  if (future instanceof Task) return `task ${future.getName()}`;
  if (future instanceof GatheringFuture) return `gather() of ${future._children.length}`;
  if (future instanceof ForeignFuture) return future._what;
  if (future instanceof WaitingFuture) {
    const on = future._on;
    return isPrimitive(on) ? `${future._what} on ${shown(on)}` : future._what;
  }
  return shown(future);
}

/**
 * An object as the task tree and the timeline name what a task waits on: its own
 * `toString()`. A timeline reads it in the loop's turn, so one of the program's own that
 * throws must not stop the loop, nor a task tree printed to find a bug.
 */
export function shown(waitedOn: object): string {
  try {
    return String(waitedOn);
  } catch {
    return `${describe(waitedOn)} (its toString() threw)`;
  }
}

const NONE: ReadonlySet<Future<unknown>> = /* @__PURE__ */ new Set();

function directlyAwaited(future: Future<unknown>): Set<Future<unknown>> {
  const targets = new Set<Future<unknown>>();
  const add = (target: Future<unknown>): void => {
    if (target._state === FutureState.Pending) targets.add(target);
  };
  if (future._state !== FutureState.Pending) return targets;
  if (future instanceof Task) {
    if (future._wait === Wait.Future || future._wait === Wait.CancellingWaiter) add(future._awaiting!);
    for (const group of openGroups.get(future) ?? NO_GROUPS) for (const child of group._openTasks()) add(child);
  } else if (future instanceof GatheringFuture) {
    for (const child of future._children) add(child);
  } else if (future instanceof WaitingFuture) {
    const on = future._on;
    if (on instanceof Future) add(on);
    else if (on !== null && isFutures(on)) for (const watched of on) add(watched);
  }
  return targets;
}

const NO_GROUPS: ReadonlySet<TaskGroup> = /* @__PURE__ */ new Set();
const NO_TASKS: readonly Task<unknown>[] = [];
const NO_DEADLINES: readonly number[] = [];

function isFutures(on: object): on is Iterable<Future<unknown>> {
  return Array.isArray(on) || on instanceof Set;
}
