import { activityOf, gainsTasksUnseen, primitiveOf, shown, tasksAwaitedBy, waitsUnseenOn, type TaskActivity } from "./awaits.js";
import { RuntimeError } from "./errors.js";
import { type DoneCallbacks, DoneCallbackRun, eachCallback, Future, FutureState } from "./future.js";
import type { Runnable } from "./handle.js";
import type { EventLoop } from "./loop.js";
import { currentTask } from "./running.js";
import { Task } from "./task.js";
import { loopArgument } from "./loop-argument.js";

/** A stretch of time in which a task did one thing: slept, waited on one thing, was ready. */
export interface TimelineSpan {
  /** Loop time (ms) at which it began. */
  readonly start: number;
  /**
   * Loop time (ms) at which it ended: the start of the next span, or the task's end. The
   * last span of a task still unfinished ends at the stop of the recording (while it
   * records, at the loop's time when `rows` is read).
   */
  readonly end: number;
  /** `"sleeping"`, `"waiting"`, `"ready"` (or `"running"`, in the last span of the task that stopped the recording). */
  readonly activity: TaskActivity;
  /** What it waited on, as in {@link TaskNode.waitingOn}: `"sleep() until 300 ms"`, `"task fetch-a"`. */
  readonly waitingOn: string;
  /**
   * The rows of the tasks that waited on it meanwhile (through a gather, a TaskGroup...):
   * its parents in the task tree, so that the tree at any moment can be drawn from the
   * recording.
   */
  readonly awaitedBy: readonly TimelineRow[];
}

/**
 * One task's row in a {@link TaskTimeline}. It keeps what the task did, not the task: a
 * recording does not keep the tasks it saw, nor what they hold, once they are done.
 */
export interface TimelineRow {
  /** Its name when last seen doing something new. */
  readonly name: string;
  /** Loop time (ms) at which it was first seen. */
  readonly start: number;
  /**
   * Loop time (ms) at which it was last seen unfinished: its end. `null` for a task still
   * unfinished when the recording stopped (or still recording).
   */
  readonly end: number | null;
  /** What it did, in order, without gaps: each span ends where the next begins. */
  readonly spans: readonly TimelineSpan[];
}

interface MutableSpan {
  start: number;
  end: number;
  activity: TaskActivity;
  waitingOn: string;
  awaitedBy: readonly TimelineRow[];
}

interface MutableRow {
  name: string;
  start: number;
  end: number | null;
  spans: MutableSpan[];
}

/** What the recording knows of a task still unfinished. */
interface Seen {
  readonly row: MutableRow;
  /** The tasks it waited on when last looked at: its children in the task tree. */
  children: Task<unknown>[];
  /** The primitive named in what it waits on, if any (see {@link primitiveOf}). */
  primitive: object | null;
}

/**
 * What a loop's tasks did over time: one row per task, each a list of spans (sleeping
 * until 300 ms, waiting on gather() of 2, ready...). {@link recordTimeline} starts one;
 * {@link formatTimeline} draws it as text, and a page can draw it as it likes.
 *
 * It looks at the tasks once per instant of loop time, before the loop moves past it, so
 * it sees the state each instant ends with: a task that starts and ends within one
 * instant takes no time and is not shown.
 *
 * @example
 * ```ts
 * const timeline = recordTimeline();
 * yield* gather([download("a"), download("b")]);
 * timeline.stop();
 * for (const row of timeline.rows) {
 *   console.log(row.name, row.spans.map((span) => `${span.start}-${span.end} ${span.activity}`));
 * }
 * ```
 */
export class TaskTimeline {
  /** Loop time (ms) at which the recording began. */
  readonly start: number;
  private _end: number | null = null;
  private readonly _loop: EventLoop;
  private readonly _rows: MutableRow[] = [];
  /** The unfinished tasks seen, and what is known of them. */
  private readonly seen = new Map<Task<unknown>, Seen>();
  /** For each task seen, the tasks seen waiting on it: its parents in the task tree. */
  private readonly parents = new Map<Task<unknown>, Set<Task<unknown>>>();
  /**
   * For each primitive named in what tasks wait on, those tasks, and its description as
   * they were last recorded with it: a task that does not wait on it can change it (a
   * `taskDone()` changes what a Queue's putters wait on).
   */
  private readonly onPrimitive = new Map<object, { text: string; waiting: Set<Task<unknown>> }>();
  /** The tasks seen that can come to wait on new tasks without a step (see {@link gainsTasksUnseen}). */
  private readonly gaining = new Set<Task<unknown>>();
  /** Tasks that may have changed since the last look: the ones it looks at. */
  private touched = new Set<Task<unknown>>();
  /** The tasks started since the last look, in order. */
  private born: Task<unknown>[] = [];
  /** The loop time of the instant being recorded: its state shows before the next one. */
  private _instant: number;
  /** Puts back the loop's own scheduling (see the constructor). */
  private readonly unhook: () => void;

  /** Starts recording `loop`: the same as {@link recordTimeline}`(loop)`. */
  constructor(loop: EventLoop) {
    loop = loopArgument(loop, "new TaskTimeline()");
    if (loop._beforeIteration !== null) throw new RuntimeError("a timeline is already recording this loop");
    this._loop = loop;
    this.start = this._instant = loop.time();
    this.born = [...loop._tasks];
    // A task changes only when it takes a step, which something scheduled: itself, or a
    // future it waits on, whose callbacks it is in. Watching what the loop schedules (and
    // the tasks it starts) tells which tasks to look at, so that each instant costs what
    // changed in it, not a walk over every task. The watch is on this loop object only,
    // for as long as it records: a loop no one records runs its own methods untouched.
    const soon = loop._soon;
    const at = loop._at;
    const tasks = loop._tasks;
    const add = tasks.add;
    loop._soon = (runnable) => {
      this.touch(runnable);
      return soon.call(loop, runnable);
    };
    loop._at = (runnable, when) => {
      this.touch(runnable);
      return at.call(loop, runnable, when);
    };
    tasks.add = (task) => {
      this.born.push(task);
      // Its creator may have started it in a TaskGroup it is in.
      const creator = currentTask();
      if (creator !== null) this.touched.add(creator);
      add.call(tasks, task);
    };
    this.unhook = () => {
      // The last property added goes first: V8 then takes the loop back to its shape from
      // before, where deleting another would leave it in a slower mode for good.
      delete (loop as Partial<EventLoop>)._at;
      delete (loop as Partial<EventLoop>)._soon;
      delete (tasks as Partial<typeof tasks>).add;
    };
    loop._beforeIteration = () => {
      const now = loop.time();
      if (now === this._instant) return;
      this._look();
      this._instant = now;
    };
  }

  /** Loop time (ms) at which the recording stopped; `null` while it records. */
  get end(): number | null {
    return this._end;
  }

  /** The tasks seen, one row each, in the order they were first seen. */
  get rows(): readonly TimelineRow[] {
    if (this._end === null) {
      // What the tasks still unfinished were last seen doing lasts until now.
      const now = this._loop.time();
      for (const { row } of this.seen.values()) row.spans[row.spans.length - 1]!.end = now;
    }
    return this._rows;
  }

  /**
   * Stops recording: what the tasks are doing now ends their spans, and the spans of the
   * tasks still unfinished end here (their rows' `end` stays `null`). Stopping twice does
   * nothing.
   * @example
   * ```ts
   * const timeline = recordTimeline();
   * yield* gather([download("a"), download("b")]);
   * timeline.stop();
   * console.log(formatTimeline(timeline));
   * ```
   */
  stop(): void {
    if (this._end !== null) return;
    this._instant = this._loop.time();
    const running = currentTask();
    if (running !== null && running._loop === this._loop) this.touched.add(running);
    this._look();
    this._loop._beforeIteration = null;
    this.unhook();
    this._end = this._instant;
    for (const { row } of this.seen.values()) row.spans[row.spans.length - 1]!.end = this._end;
    // What is left of the tasks is not needed any more: the rows are.
    this.seen.clear();
    this.parents.clear();
    this.onPrimitive.clear();
    this.gaining.clear();
  }

  /** Notes the tasks that what the loop schedules will wake, or has woken. */
  private touch(runnable: Runnable): void {
    if (runnable instanceof Task) this.touched.add(runnable);
    let callbacks: DoneCallbacks;
    if (runnable instanceof Future) callbacks = runnable._callbacks;
    else if (runnable instanceof DoneCallbackRun) callbacks = runnable._callback;
    else return;
    for (const callback of eachCallback(callbacks)) if (callback instanceof Task) this.touched.add(callback);
  }

  /**
   * Takes the state the current instant leaves, for the tasks that may have changed: a
   * new span for each task doing something new, and an end for each task gone. The
   * spans it opens end at the next span, the task's end, or the stop.
   */
  private _look(): void {
    const at = this._instant;
    const touched = this.touched;
    const born = this.born;
    this.touched = new Set();
    this.born = [];
    // The tasks whose spans may change: the touched ones, those whose parents changed,
    // and those waiting on a primitive whose description changed.
    const changed = new Set<Task<unknown>>();
    for (const task of born) {
      if (task._state !== FutureState.Pending || this.seen.has(task)) continue;
      this.seen.set(task, { row: this.newRow(task, at), children: [], primitive: null });
      touched.add(task);
      // A task waiting on a TaskGroup or a live collection may have gained this one.
      for (const parent of this.gaining) if (waitsUnseenOn(parent, task)) this.link(parent, task, changed);
    }
    for (const task of touched) {
      const seen = this.seen.get(task);
      if (seen === undefined) continue; // started and done between two looks
      changed.add(task);
      if (task._state !== FutureState.Pending) {
        this.forget(task, seen, at, changed);
        continue;
      }
      this.relink(task, seen, changed);
      const primitive = primitiveOf(task);
      if (primitive !== seen.primitive) {
        if (seen.primitive !== null) this.onPrimitive.get(seen.primitive)?.waiting.delete(task);
        if (primitive !== null) {
          const on = this.onPrimitive.get(primitive);
          if (on === undefined) this.onPrimitive.set(primitive, { text: "", waiting: new Set([task]) });
          else on.waiting.add(task);
        }
        seen.primitive = primitive;
      }
    }
    // One description per primitive waited on, rather than one look per task waiting.
    for (const [primitive, on] of this.onPrimitive) {
      if (on.waiting.size === 0) {
        this.onPrimitive.delete(primitive);
        continue;
      }
      const text = shown(primitive);
      if (text === on.text) continue;
      on.text = text;
      for (const task of on.waiting) changed.add(task);
    }
    for (const task of changed) {
      const seen = this.seen.get(task);
      if (seen !== undefined) this.record(task, seen, at);
    }
  }

  private newRow(task: Task<unknown>, at: number): MutableRow {
    const row: MutableRow = { name: task.getName(), start: at, end: null, spans: [] };
    this._rows.push(row);
    return row;
  }

  /** Brings `task`'s children up to date, and the parents of those that came or went. */
  private relink(task: Task<unknown>, seen: Seen, changed: Set<Task<unknown>>): void {
    const before = seen.children;
    const now = tasksAwaitedBy(task);
    seen.children = now;
    const kept = new Set(now);
    for (const child of before) {
      if (kept.has(child)) continue;
      this.parents.get(child)?.delete(task);
      changed.add(child);
    }
    const had = new Set(before);
    for (const child of now) {
      if (had.has(child)) continue;
      const parents = this.parents.get(child);
      if (parents === undefined) this.parents.set(child, new Set([task]));
      else parents.add(task);
      changed.add(child);
    }
    if (gainsTasksUnseen(task)) this.gaining.add(task);
    else this.gaining.delete(task);
  }

  /** `parent` was found waiting on `child` without a step of its own. */
  private link(parent: Task<unknown>, child: Task<unknown>, changed: Set<Task<unknown>>): void {
    const seen = this.seen.get(parent);
    if (seen === undefined || seen.children.includes(child)) return;
    seen.children.push(child);
    const parents = this.parents.get(child);
    if (parents === undefined) this.parents.set(child, new Set([parent]));
    else parents.add(parent);
    changed.add(child);
  }

  /** `task` is done: its row ends, and the recording lets go of it. */
  private forget(task: Task<unknown>, seen: Seen, at: number, changed: Set<Task<unknown>>): void {
    seen.row.end = at;
    const last = seen.row.spans[seen.row.spans.length - 1];
    if (last !== undefined) last.end = at;
    for (const child of seen.children) {
      this.parents.get(child)?.delete(task);
      changed.add(child);
    }
    if (seen.primitive !== null) this.onPrimitive.get(seen.primitive)?.waiting.delete(task);
    this.seen.delete(task);
    this.parents.delete(task);
    this.gaining.delete(task);
  }

  /** A new span for `task` if it does something new since its last one. */
  private record(task: Task<unknown>, seen: Seen, at: number): void {
    const { activity, waitingOn } = activityOf(task);
    const awaitedBy: MutableRow[] = [];
    for (const parent of this.parents.get(task) ?? NO_TASKS) {
      const row = this.seen.get(parent)?.row;
      if (row !== undefined) awaitedBy.push(row);
    }
    const { row } = seen;
    row.name = task.getName();
    const last = row.spans[row.spans.length - 1];
    if (last !== undefined) last.end = at;
    if (
      last === undefined ||
      last.activity !== activity ||
      last.waitingOn !== waitingOn ||
      !sameRows(last.awaitedBy, awaitedBy)
    ) {
      row.spans.push({ start: at, end: at, activity, waitingOn, awaitedBy });
    }
    // A step still to come (the task is ready, or what it waits on is done and its
    // wake-up queued) may be one that nothing schedules anew, as the step that throws a
    // bad yield into its coroutine, or one scheduled before this look: look again next time.
    if (activity === "ready" || activity === "running" || task._awaiting?.done() === true) this.touched.add(task);
  }
}

const NO_TASKS: ReadonlySet<Task<unknown>> = /* @__PURE__ */ new Set();

/** Whether two lists hold the same rows, in any order. */
function sameRows(a: readonly TimelineRow[], b: readonly TimelineRow[]): boolean {
  return a.length === b.length && a.every((row) => b.includes(row));
}

/**
 * Starts recording what the loop's tasks do, instant by instant, until `stop()`:
 * {@link formatTimeline} then draws it. Under the virtual clock the times are exact.
 *
 * Each instant costs what changed in it: the tasks that took a step or were started, and
 * the tasks their change bears on (those they await, and those waiting on a Lock, a
 * Queue... whose description changed), plus a description of each primitive that tasks
 * wait on. Rows keep names and spans, not the tasks.
 *
 * @param loop The loop to record; the running loop if not given.
 * @example
 * ```ts
 * await run(function* () {
 *   const timeline = recordTimeline();
 *   yield* gather([sleep(200), sleep(100)]);
 *   timeline.stop();
 *   console.log(formatTimeline(timeline));
 * }, { clock: "virtual" });
 * ```
 */
export function recordTimeline(loop?: EventLoop): TaskTimeline {
  return new TaskTimeline(loopArgument(loop, "recordTimeline()"));
}

