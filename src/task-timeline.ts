import { activityOf, AwaitGraph, type TaskActivity } from "./awaits.js";
import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";
import { loopArgument } from "./loop-argument.js";

/** A stretch of time in which a task did one thing: slept, waited on one thing, was ready. */
export interface TimelineSpan {
  /** Loop time (ms) at which it began. */
  readonly start: number;
  /**
   * Loop time (ms) at which it ended: the start of the next span, or the task's end. The
   * last span of a task still unfinished ends at the last instant recorded: the stop, once
   * the recording has stopped.
   */
  readonly end: number;
  /** `"sleeping"`, `"waiting"`, `"ready"` (or `"running"`, in the last span of the task that stopped the recording). */
  readonly activity: TaskActivity;
  /** What it waited on, as in {@link TaskNode.waitingOn}: `"sleep() until 300 ms"`, `"task fetch-a"`. */
  readonly waitingOn: string;
  /**
   * The tasks that waited on it meanwhile (through a gather, a TaskGroup...): its parents
   * in the task tree, so that the tree at any moment can be drawn from the recording.
   */
  readonly awaitedBy: readonly Task<unknown>[];
}

/** One task's row in a {@link TaskTimeline}. */
export interface TimelineRow {
  readonly task: Task<unknown>;
  /** Its name when last seen. */
  readonly name: string;
  /** Loop time (ms) at which it was first seen. */
  readonly start: number;
  /**
   * Loop time (ms) of the instant in which it finished; `null` if it did not finish while
   * recorded: it was still unfinished when the recording stopped, or is now.
   */
  readonly end: number | null;
  /** What it did, in order, without gaps: each span ends where the next begins. */
  readonly spans: readonly TimelineSpan[];
}

interface MutableRow {
  task: Task<unknown>;
  name: string;
  start: number;
  end: number | null;
  spans: { start: number; end: number; activity: TaskActivity; waitingOn: string; awaitedBy: readonly Task<unknown>[] }[];
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
  private readonly _open = new Map<Task<unknown>, MutableRow>();
  /** The loop time of the instant being recorded: its state shows before the next one. */
  private _instant: number;

  /** Starts recording `loop`: the same as {@link recordTimeline}`(loop)`. */
  constructor(loop: EventLoop) {
    if (loop._beforeIteration !== null) throw new RuntimeError("a timeline is already recording this loop");
    this._loop = loop;
    this.start = this._instant = loop.time();
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
    return this._rows;
  }

  /**
   * Stops recording: what the tasks are doing now ends their spans. Stopping twice does
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
    this._look();
    this._loop._beforeIteration = null;
    this._end = this._instant;
  }

  /**
   * Takes the state the current instant leaves: a new span for each task doing something
   * new, and an end for each task gone. The spans it opens end at the next look.
   */
  private _look(): void {
    const at = this._instant;
    const seen = new Set<Task<unknown>>();
    const graph = new AwaitGraph(this._loop);
    for (const task of graph.tasks) {
      seen.add(task);
      const { activity, waitingOn } = activityOf(task);
      const awaitedBy = graph.awaitingTasks(task);
      let row = this._open.get(task);
      if (row === undefined) {
        row = { task, name: task.getName(), start: at, end: null, spans: [] };
        this._open.set(task, row);
        this._rows.push(row);
      }
      row.name = task.getName();
      const last = row.spans[row.spans.length - 1];
      if (last !== undefined) last.end = at;
      if (
        last === undefined ||
        last.activity !== activity ||
        last.waitingOn !== waitingOn ||
        !sameTasks(last.awaitedBy, awaitedBy)
      ) {
        row.spans.push({ start: at, end: at, activity, waitingOn, awaitedBy });
      }
    }
    for (const [task, row] of this._open) {
      if (seen.has(task)) continue;
      row.end = at;
      row.spans[row.spans.length - 1]!.end = at;
      this._open.delete(task);
    }
  }
}

function sameTasks(a: readonly Task<unknown>[], b: readonly Task<unknown>[]): boolean {
  return a.length === b.length && a.every((task, i) => task === b[i]);
}

/**
 * Starts recording what the loop's tasks do, instant by instant, until `stop()`:
 * {@link formatTimeline} then draws it. Under the virtual clock the times are exact.
 *
 * Each instant costs a walk over the unfinished tasks and what they wait on. Under the
 * real clock every loop iteration is a new instant, so on a program with many thousands
 * of tasks, record briefly (or in virtual time).
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
