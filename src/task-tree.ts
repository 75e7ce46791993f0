import { activityOf, AwaitGraph, describeDoing, type TaskActivity } from "./awaits.js";
import { forest } from "./forest.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";
import { loopArgument } from "./loop-argument.js";

/** One unfinished task in the tree that {@link taskTree} returns. */
export interface TaskNode {
  /** The task itself. */
  readonly task: Task<unknown>;
  /** Its name (`Task-N` unless one was given). */
  readonly name: string;
  /**
   * `"running"`: it is the current task. `"ready"`: its next step is scheduled.
   * `"sleeping"`: in `sleep()`. `"waiting"`: on a future, a task or a primitive.
   */
  readonly activity: TaskActivity;
  /**
   * What it waits on, as the program asked for it: `"sleep() until 300 ms"`,
   * `"task fetch-a"`, `"gather() of 3"`, `"acquire() on <Lock [locked, waiters:1]>"`.
   * Empty when it is running or ready.
   */
  readonly waitingOn: string;
  /** Cancellations requested and not yet matched by `uncancel()` (`task.cancelling()`). */
  readonly cancelling: number;
  /** When the timeout scopes it is inside of expire (loop times in ms), earliest first. */
  readonly timeouts: readonly number[];
  /**
   * The tasks it waits on: the one it awaits, a gather's children, what a shield, `wait`,
   * `waitFor` or `asCompleted` watches, and the tasks of every TaskGroup it is inside of.
   * A task awaited by two tasks appears under both (the same node).
   */
  readonly children: readonly TaskNode[];
  /**
   * True when it waits on a task that is above it on this branch: tasks awaiting each
   * other in a cycle. That task is not repeated under it, where the cycle would go on
   * for ever; `waitingOn` names it.
   */
  readonly closesCycle: boolean;
}

/**
 * The loop's unfinished tasks as a tree: each task with what it is doing and, under it,
 * the tasks it waits on. The roots are the tasks nobody waits on (usually the main task;
 * also tasks started and left to run). It is read from the runtime's state when called,
 * so it costs nothing while no one asks.
 *
 * @param loop The loop to look at; the running loop if not given.
 * @example
 * ```ts
 * function* watchdog() {
 *   yield* sleep(60_000);
 *   for (const node of taskTree()) {
 *     if (node.activity === "waiting") console.warn(`${node.name} still waits on ${node.waitingOn}`);
 *   }
 * }
 * ```
 */
export function taskTree(loop?: EventLoop): TaskNode[] {
  return treeOf(loopArgument(loop, "taskTree()"));
}

/** The task tree of `loop`: see {@link taskTree}. */
function treeOf(loop: EventLoop): TaskNode[] {
  const graph = new AwaitGraph(loop);
  // Tasks awaiting each other in a cycle: the tree stops where one comes round again,
  // and its waitingOn names the task it awaits.
  return forest(graph.tasks, (task) => graph.awaitedTasks(task), (task, children: TaskNode[], closesCycle): TaskNode => {
    const { activity, waitingOn } = activityOf(task);
    return {
      task,
      name: task.getName(),
      activity,
      waitingOn,
      cancelling: task.cancelling(),
      timeouts: graph.timeoutsOf(task),
      children,
      closesCycle,
    };
  });
}

/**
 * {@link taskTree} as text, one task per line, for logs and debugging (asyncio's
 * `python -m asyncio pstree`):
 *
 * ```text
 * main: gather() of 2
 * ├── fetch-a: sleep() until 300 ms
 * └── fetch-b: acquire() on <Lock [locked, waiters:1]>
 * ```
 *
 * A task awaited by several tasks shows its own tasks under the first of them; under the
 * others its line ends "(its tasks are shown above)". A task that waits on one above it
 * (tasks awaiting each other) ends "(a cycle: ...)". Past 32 levels the lines stop
 * moving right and start with their depth instead (`[depth 40]`).
 *
 * @param loop The loop to look at; the running loop if not given.
 * @example
 * ```ts
 * loop.callLater(5_000, () => console.log(formatTaskTree(loop))); // what is still running at 5 s?
 * ```
 */
export function formatTaskTree(loop?: EventLoop): string {
  const lines: string[] = [];
  const expanded = new Set<TaskNode>();
  // Depth first, with a stack of its own: a chain of thousands of tasks is as deep.
  const stack: { node: TaskNode; lead: string; branch: string; depth: number }[] = [];
  const roots = treeOf(loopArgument(loop, "formatTaskTree()"));
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, lead: "", branch: "", depth: 0 });
  while (stack.length > 0) {
    const { node, lead, branch, depth } = stack.pop()!;
    // A task under several awaiters shows its own tasks once, under the first of them.
    const again = node.children.length > 0 && expanded.has(node);
    const deep = depth > MAX_INDENT ? `[depth ${depth}] ` : "";
    lines.push(lead + branch + deep + describeNode(node) + (again ? " (its tasks are shown above)" : ""));
    if (again) continue;
    expanded.add(node);
    // Past MAX_INDENT levels the lead stops growing, and each line says its depth: the
    // text of a deep chain grows with its length, not with its length squared.
    const below = depth >= MAX_INDENT ? lead : lead + (branch === "" ? "" : branch === "└── " ? "    " : "│   ");
    const last = node.children.length - 1;
    for (let i = last; i >= 0; i--) {
      stack.push({ node: node.children[i]!, lead: below, branch: i === last ? "└── " : "├── ", depth: depth + 1 });
    }
  }
  return lines.join("\n");
}

/** How many levels the text of a task tree indents before it says the depth instead. */
const MAX_INDENT = 32;

/**
 * `fetch-a: sleep() until 300 ms`, `main: running`, `worker: ready (cancelling)`,
 * `fetch-b: acquire() on <Lock [locked]>, timeout at 500 ms`.
 */
function describeNode(node: TaskNode): string {
  const doing = describeDoing(node.activity, node.waitingOn, node.timeouts);
  const cycle = node.closesCycle ? " (a cycle: it waits on a task above it)" : "";
  return `${node.name}: ${doing}${node.cancelling > 0 ? " (cancelling)" : ""}${cycle}`;
}
