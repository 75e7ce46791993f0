// The task tree, the call graph and the timeline on the recorded CPython programs (locks,
// conditions, barriers, queues, task groups, timeouts, shields, cancellations, eager
// tasks...): at every instant of every program, the tree holds every unfinished task,
// each task's call graph can be taken, the timeline's spans follow each other without
// gaps and, though it looks only at the tasks that changed, say at each instant what a
// look at every task says, and watching changes nothing: each program still leaves the
// trace CPython left.
import { describe, expect, it } from "vitest";
import {
  allTasks,
  captureCallGraph,
  type EventLoop,
  recordTimeline,
  type TaskNode,
  type TaskTimeline,
  type TimelineRow,
  taskTree,
} from "../src/index.ts";
import { activityOf, AwaitGraph } from "../src/awaits.ts";
import type { Task } from "../src/task.ts";
import { traceOf } from "./cpython/interpreter.ts";
import { recording } from "./cpython/recording.ts";
import { CORES } from "./helpers.ts";

/** Checks the tree and the call graphs of `loop` now; returns what is wrong, if anything. */
function inspect(loop: EventLoop): string[] {
  const problems: string[] = [];
  const inTree = new Set<unknown>();
  const walk = (nodes: readonly TaskNode[]): void => {
    for (const node of nodes) {
      inTree.add(node.task);
      if (node.activity !== "ready" && node.activity !== "running" && node.waitingOn === "") {
        problems.push(`${node.name} is ${node.activity} on nothing`);
      }
      walk(node.children);
    }
  };
  walk(taskTree(loop));
  for (const task of allTasks(loop)) {
    if (!inTree.has(task)) problems.push(`${task.getName()} is missing from the tree`);
    if (captureCallGraph(task)?.future !== task) problems.push(`no call graph for ${task.getName()}`);
  }
  return problems;
}

/**
 * Checks that the timeline, which looks only at the tasks that changed, holds what a look
 * at every task of `loop` finds now: each task's last span says what it is doing and who
 * waits on it.
 */
function compareTimeline(loop: EventLoop, timeline: TaskTimeline): string[] {
  const problems: string[] = [];
  const seen = (timeline as unknown as { seen: Map<Task<unknown>, { row: TimelineRow }> }).seen;
  const graph = new AwaitGraph(loop);
  for (const task of graph.tasks) {
    const row = seen.get(task)?.row;
    if (row === undefined) {
      problems.push(`${task.getName()} has no row`);
      continue;
    }
    const last = row.spans.at(-1)!;
    const { activity, waitingOn } = activityOf(task);
    const parents = graph.awaitingTasks(task).map((parent) => seen.get(parent)?.row);
    const sameParents = parents.length === last.awaitedBy.length && parents.every((parent) => last.awaitedBy.includes(parent!));
    if (last.activity !== activity || last.waitingOn !== waitingOn || !sameParents) {
      problems.push(
        `${task.getName()}: recorded ${last.activity} "${last.waitingOn}" awaited by [${last.awaitedBy.map((r) => r.name)}], ` +
          `is ${activity} "${waitingOn}" awaited by [${parents.map((r) => r?.name)}]`,
      );
    }
  }
  if (seen.size !== graph.tasks.length) problems.push(`${seen.size} tasks followed, ${graph.tasks.length} unfinished`);
  return problems;
}

for (const core of CORES) {
  describe(`inspecting the recorded programs (${core} core)`, () => {
    it(`holds at every instant of all ${recording.programs.length} programs, and changes no trace`, async () => {
      const problems: string[] = [];
      let instants = 0;
      for (const [index, { program, trace }] of recording.programs.entries()) {
        let timeline: TaskTimeline | undefined;
        const watched = await traceOf(program, { core }, (loop) => {
          timeline = recordTimeline(loop);
          const look = loop._beforeIteration!;
          let instant = loop.time();
          loop._beforeIteration = () => {
            const looking = loop.time() !== instant;
            instant = loop.time();
            look();
            instants++;
            for (const problem of inspect(loop)) problems.push(`program ${index}: ${problem}`);
            if (looking) for (const problem of compareTimeline(loop, timeline!)) problems.push(`program ${index}: ${problem}`);
          };
        });
        if (JSON.stringify(watched) !== JSON.stringify(trace)) problems.push(`program ${index}: the trace changed`);
        // Spans still open end at the last look. (Checked here, so that no program's loop,
        // and its Wasm memory, outlives it.)
        for (const row of timeline!.rows) {
          for (let i = 1; i < row.spans.length; i++) {
            if (row.spans[i]!.start !== row.spans[i - 1]!.end) problems.push(`program ${index}: a gap in ${row.name}`);
          }
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      expect(instants).toBeGreaterThan(recording.programs.length);
    }, 120_000);
  });
}
