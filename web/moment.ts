// What every task was doing at one moment of a recorded timeline, as a tree: the page
// shows it for the moment picked on the chart.
import { forest } from "../src/forest.ts";
import type { TaskTimeline, TimelineRow, TimelineSpan } from "../src/index.ts";

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
  const spans = new Map<TimelineRow, TimelineSpan>();
  for (const row of timeline.rows) {
    if (ms < row.start || (row.end !== null && ms >= row.end)) continue;
    const span = row.spans.find((s) => s.start <= ms && ms < s.end) ?? (ms >= end ? row.spans.at(-1) : undefined);
    if (span !== undefined) spans.set(row, span);
  }
  const rows = [...spans.keys()];
  // Each task is the child of the tasks alive then that waited on it.
  const children = new Map<TimelineRow, TimelineRow[]>(rows.map((row) => [row, []]));
  for (const [row, span] of spans) {
    for (const parent of span.awaitedBy) children.get(parent)?.push(row);
  }
  return forest(rows, (row) => children.get(row)!, (row, below: MomentNode[]): MomentNode => {
    const span = spans.get(row)!;
    return { name: row.name, doing: span.waitingOn === "" ? span.activity : span.waitingOn, children: below };
  });
}
