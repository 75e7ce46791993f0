// wasyncio against CPython 3.13's asyncio, on random programs: test/cpython/record.py
// generated them, ran each on asyncio in virtual time and recorded its trace (every step
// with its time and task); here each runs on wasyncio, on both cores, and must leave the
// very same trace. The programs mix sleeps, cancellation of running and waiting tasks,
// await, wait_for (plain and shielded), shield, timeout scopes, swallowed cancellations
// (with and without uncancel), failures, a lock, a semaphore, an event, a condition, a
// barrier, a queue of one to three slots or unbounded (first in first out, last in first
// out or by priority; with task_done, join and shutdown), gather, wait, as_completed,
// uncancel/cancelling, TaskGroups, wait_for/shield/gather of plain coroutines,
// rescheduled timeouts, finally blocks that wait, tasks cancelling themselves,
// putNowait/getNowait, barrier abort and reset, Condition.waitFor, loop callbacks
// (callSoon and callLater), spawned tasks that run() cancels at the end, and producers
// (read with forAwait, or with aiter's next() and close(), or left open for run() to
// close); a quarter of them run with eager tasks. To record them again: python3.13
// test/cpython/record.py
import { describe, expect, it } from "vitest";
import { traceOf } from "./cpython/interpreter.ts";
import { CORES, withinRealTime } from "./helpers.ts";
import { recording } from "./cpython/recording.ts";


for (const core of CORES) {
  describe(`the programs CPython ${recording.python} ran, on wasyncio (${core} core)`, () => {
    it(`recorded ${recording.programs.length} programs`, () => {
      expect(recording.programs.length).toBeGreaterThanOrEqual(300);
    });
    recording.programs.forEach(({ program, trace }, index) => {
      it(`program ${index}: ${JSON.stringify(program)}`, async () => {
        expect(await withinRealTime(traceOf(program, { core }), 2_000)).toEqual(trace);
      });
    });
  });
}
