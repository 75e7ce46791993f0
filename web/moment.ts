// What every task was doing at one moment of a recorded timeline: the page shows it for
// the moment picked on the chart.
import type { TaskTimeline } from "../src/index.ts";

/** One task at a moment: its name, and what it was doing, as the task tree says it. */
export interface TaskAtMoment {
  readonly name: string;
  /** `"sleep() until 300 ms"`, `"acquire() on <Lock [locked, waiters:1]>"`, or `"ready"`. */
  readonly doing: string;
}

/**
 * The tasks alive at loop time `ms` (first seen at or before it, and not yet finished),
 * each with the span it was in. At the very end of the recording, what each task still
 * alive was doing last.
 */
export function tasksAt(timeline: TaskTimeline, ms: number): TaskAtMoment[] {
  const end = timeline.end ?? Infinity;
  const out: TaskAtMoment[] = [];
  for (const row of timeline.rows) {
    if (ms < row.start || (row.end !== null && ms >= row.end)) continue;
    const span = row.spans.find((s) => s.start <= ms && ms < s.end) ?? (ms >= end ? row.spans.at(-1) : undefined);
    if (span === undefined) continue;
    out.push({ name: row.name, doing: span.waitingOn === "" ? span.activity : span.waitingOn });
  }
  return out;
}
