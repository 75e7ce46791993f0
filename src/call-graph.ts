import { activityOf, AwaitGraph, describeAwaited, describeDoing } from "./awaits.js";
import { describe } from "./describe.js";
import { TreeWalk } from "./forest.js";
import { Future, FutureState } from "./future.js";
import { currentTask } from "./running.js";
import { Task } from "./task.js";

/**
 * Who waits on a future or task, up to the tasks nobody waits on (asyncio 3.14's
 * `FutureCallGraph`). JS cannot look inside a suspended generator, so where asyncio
 * shows a task's call stack this says what the task waits on.
 */
export interface FutureCallGraph {
  /** The future or task. */
  readonly future: Future<unknown>;
  /**
   * For a task, what it waits on (`"sleep() until 300 ms"`, `"gather() of 2"`), or
   * `"running"` / `"ready"`, then the deadlines of its timeout scopes if any
   * (`", timeout at 500 ms"`); for a task that is done, `"finished"`, `"failed"` or
   * `"cancelled"`. For a future, what made it (`"gather() of 2"`, `"shield()"`).
   */
  readonly waitingOn: string;
  /** The tasks and futures that wait on it: a task awaiting it, a gather it is part of... */
  readonly awaitedBy: readonly FutureCallGraph[];
}

/**
 * The graph of what waits on `future` (asyncio 3.14's `capture_call_graph`): the tasks
 * awaiting it, the gather or shield it is in, the TaskGroup's parent task, and on up.
 *
 * @param future A future or task; the current task if not given.
 * @returns The graph, or `null` when no future is given and no task is running.
 * @example
 * ```ts
 * function* child() {
 *   const graph = captureCallGraph()!; // inside: the current task
 *   console.log(graph.awaitedBy.map((g) => g.waitingOn)); // ["gather() of 2"]
 * }
 * ```
 */
export function captureCallGraph(future?: Future<unknown>): FutureCallGraph | null {
  const start = startOf(future, "captureCallGraph()");
  return start === null ? null : graphFrom(start);
}

/**
 * The call graph of what waits on `start`. A future already on the path closes a cycle
 * (tasks awaiting each other): the graph stops there. One awaited by several awaiters
 * that share an awaiter further up is one node, under each.
 */
function graphFrom(start: Future<unknown>): FutureCallGraph {
  const graph = new AwaitGraph(start._loop);
  const walk = new TreeWalk(
    (future: Future<unknown>) => graph.awaitersOf(future),
    (future, awaitedBy: FutureCallGraph[]): FutureCallGraph => ({ future, waitingOn: describeFuture(future, graph), awaitedBy }),
  );
  return walk.build(start);
}

/**
 * {@link captureCallGraph} as text (asyncio 3.14's `format_call_graph`):
 *
 * ```text
 * * Task(name='fetch-b')
 *   + Waiting on: acquire() on <Lock [locked, waiters:1]>
 *   + Awaited by:
 *     * Future(gather() of 2)
 *       + Awaited by:
 *         * Task(name='main')
 *           + Waiting on: gather() of 2
 * ```
 *
 * What waits on a future reached by two paths is written out under the first; the other
 * says "Awaited by: (shown above)". Past 32 levels the entries stop moving right and say
 * their depth instead (`* [depth 40] Task(...)`).
 *
 * @param future A future or task; the current task if not given.
 * @returns The text, or `""` when no future is given and no task is running.
 * @example
 * ```ts
 * console.log(formatCallGraph(stuckTask));
 * ```
 */
export function formatCallGraph(future?: Future<unknown>): string {
  const start = startOf(future, "formatCallGraph()");
  if (start === null) return "";
  const lines: string[] = [];
  const expanded = new Set<FutureCallGraph>();
  // Depth first, with a stack of its own: a chain of thousands of tasks is as deep.
  const stack: { node: FutureCallGraph; depth: number }[] = [{ node: graphFrom(start), depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    // Past MAX_INDENT levels the indent stops growing and each entry says its depth: the
    // text of a deep chain grows with its length, not with its length squared.
    const indent = "    ".repeat(Math.min(depth, MAX_INDENT));
    const deep = depth > MAX_INDENT ? `[depth ${depth}] ` : "";
    const { future } = node;
    if (future instanceof Task) {
      lines.push(`${indent}* ${deep}Task(name='${future.getName()}')`);
      const waits = future._state === FutureState.Pending;
      lines.push(`${indent}  + ${waits ? "Waiting on" : "State"}: ${node.waitingOn}`);
    } else {
      lines.push(`${indent}* ${deep}Future(${node.waitingOn})`);
    }
    if (node.awaitedBy.length === 0) continue;
    // What waits on a future reached by two paths is written out under the first.
    if (expanded.has(node)) {
      lines.push(`${indent}  + Awaited by: (shown above)`);
      continue;
    }
    expanded.add(node);
    lines.push(`${indent}  + Awaited by:`);
    for (let i = node.awaitedBy.length - 1; i >= 0; i--) stack.push({ node: node.awaitedBy[i]!, depth: depth + 1 });
  }
  return lines.join("\n");
}

/** How many levels the text of a call graph indents before it says the depth instead. */
const MAX_INDENT = 32;

function describeFuture(future: Future<unknown>, graph: AwaitGraph): string {
  if (!(future instanceof Task)) return describeAwaited(future);
  if (future._state !== FutureState.Pending) return ENDED[future._state];
  const { activity, waitingOn } = activityOf(future);
  return describeDoing(activity, waitingOn, graph.timeoutsOf(future));
}

/** How a task that is done is described, by its state. */
const ENDED = ["", "finished", "failed", "cancelled"] as const;

/** The future a call graph starts from: the one given, else the current task (or none). */
function startOf(future: Future<unknown> | undefined, what: string): Future<unknown> | null {
  const start = future ?? currentTask();
  if (start !== null && !(start instanceof Future)) throw new TypeError(`${what} needs a Future or Task, got ${describe(start)}`);
  return start;
}
