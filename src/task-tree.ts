import { activityOf, AwaitGraph, describeTimeouts, type TaskActivity } from "./awaits.js";
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
   * A task awaited by two tasks appears under both.
   */
  readonly children: readonly TaskNode[];
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
  return forest(graph.tasks, (task) => graph.awaitedTasks(task), (task, children: TaskNode[]): TaskNode => {
    const { activity, waitingOn } = activityOf(task);
    return {
      task,
      name: task.getName(),
      activity,
      waitingOn,
      cancelling: task.cancelling(),
      timeouts: graph.timeoutsOf(task),
      children,
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
 * @param loop The loop to look at; the running loop if not given.
 * @example
 * ```ts
 * loop.callLater(5_000, () => console.log(formatTaskTree(loop))); // what is still running at 5 s?
 * ```
 */
export function formatTaskTree(loop?: EventLoop): string {
  const lines: string[] = [];
  const write = (node: TaskNode, lead: string, branch: string): void => {
    lines.push(lead + branch + describeNode(node));
    const below = lead + (branch === "" ? "" : branch === "└── " ? "    " : "│   ");
    node.children.forEach((child, i) => write(child, below, i === node.children.length - 1 ? "└── " : "├── "));
  };
  for (const root of treeOf(loopArgument(loop, "formatTaskTree()"))) write(root, "", "");
  return lines.join("\n");
}

/**
 * `fetch-a: sleep() until 300 ms`, `main: running`, `worker: ready (cancelling)`,
 * `fetch-b: acquire() on <Lock [locked]>, timeout at 500 ms`.
 */
function describeNode(node: TaskNode): string {
  const doing = node.waitingOn === "" ? node.activity : node.waitingOn;
  return `${node.name}: ${doing}${describeTimeouts(node.timeouts)}${node.cancelling > 0 ? " (cancelling)" : ""}`;
}
