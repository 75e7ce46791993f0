// What every task was doing at one moment of a recorded timeline, as a tree: the page
// shows it for the moment picked on the chart.
import type { Task, TaskTimeline, TimelineSpan } from "../src/index.ts";

/** One task at a moment, with the tasks it was waiting on below it. */
export interface MomentNode {
  readonly name: string;
  /** `"sleep() until 300 ms"`, `"acquire() on <Lock [locked, waiters:1]>"`, or `"ready"`. */
  readonly doing: string;
  readonly children: readonly MomentNode[];
}

/**
 * The task tree at loop time `ms`, rebuilt from the recording: the tasks alive then (first
 * seen at or before it, not yet finished), each under the tasks that waited on it. At the
 * very end of the recording, what each task still alive was doing last.
 */
export function treeAt(timeline: TaskTimeline, ms: number): MomentNode[] {
  const end = timeline.end ?? Infinity;
  const spans = new Map<Task<unknown>, { name: string; span: TimelineSpan }>();
  for (const row of timeline.rows) {
    if (ms < row.start || (row.end !== null && ms >= row.end)) continue;
    const span = row.spans.find((s) => s.start <= ms && ms < s.end) ?? (ms >= end ? row.spans.at(-1) : undefined);
    if (span !== undefined) spans.set(row.task, { name: row.name, span });
  }
  const children = new Map<Task<unknown>, Task<unknown>[]>();
  for (const [task, { span }] of spans) {
    for (const parent of span.awaitedBy) {
      if (!spans.has(parent)) continue;
      const siblings = children.get(parent);
      if (siblings === undefined) children.set(parent, [task]);
      else siblings.push(task);
    }
  }
  const placed = new Set<Task<unknown>>();
  const path = new Set<Task<unknown>>();
  const nodeOf = (task: Task<unknown>): MomentNode => {
    placed.add(task);
    path.add(task);
    // A task already on the path closes a cycle (tasks awaiting each other): stop there.
    const below = (children.get(task) ?? []).filter((child) => !path.has(child)).map(nodeOf);
    path.delete(task);
    const { name, span } = spans.get(task)!;
    return { name, doing: span.waitingOn === "" ? span.activity : span.waitingOn, children: below };
  };
  const roots = [...spans.keys()]
    .filter((task) => !spans.get(task)!.span.awaitedBy.some((parent) => spans.has(parent)))
    .map(nodeOf);
  // Tasks that only wait on each other have no root above them: shown from the oldest.
  for (const task of spans.keys()) if (!placed.has(task)) roots.push(nodeOf(task));
  return roots;
}
