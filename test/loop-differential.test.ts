// Random programs of tasks, timers, cancellations and timeouts run on both scheduler
// cores must leave exactly the same trace: the loop may not depend on which core orders
// its callbacks. (The raw cores are compared op by op in core.test.ts; this compares
// them through the whole runtime, adapter and batching included.)
import fc from "fast-check";
import { expect, it } from "vitest";
import { CancelledError, createTask, gather, getRunningLoop, run, sleep, type Task, waitFor } from "../src/index.ts";

/** One task's script: sleep, maybe cancel another task, maybe wait for one with a timeout. */
interface Step {
  sleep: number;
  cancel: number | null;
  waitFor: { task: number; ms: number } | null;
}

const step: fc.Arbitrary<Step> = fc.record({
  sleep: fc.integer({ min: -1, max: 30 }),
  cancel: fc.option(fc.nat(7), { freq: 4 }),
  waitFor: fc.option(fc.record({ task: fc.nat(7), ms: fc.integer({ min: 0, max: 40 }) }), { freq: 5 }),
});

const program = fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

async function trace(core: "wasm" | "js", scripts: Step[][]): Promise<string[]> {
  const log: string[] = [];
  await run(
    function* () {
      const loop = getRunningLoop();
      const tasks: Task<string>[] = [];
      const say = (what: string) => log.push(`${loop.time()} ${what}`);
      scripts.forEach((script, index) => {
        tasks.push(
          createTask(function* () {
            try {
              for (const s of script) {
                yield* sleep(s.sleep);
                say(`t${index} slept ${s.sleep}`);
                if (s.cancel !== null && tasks[s.cancel]) say(`t${index} cancels t${s.cancel}: ${tasks[s.cancel]!.cancel()}`);
                if (s.waitFor !== null && tasks[s.waitFor.task] && s.waitFor.task !== index) {
                  try {
                    const value = yield* waitFor(tasks[s.waitFor.task]!, s.waitFor.ms);
                    say(`t${index} got ${value}`);
                  } catch (error) {
                    say(`t${index} waitFor: ${(error as Error).name}`);
                    if (error instanceof CancelledError) throw error;
                  }
                }
              }
              return `t${index} done`;
            } finally {
              say(`t${index} finally`);
            }
          }),
        );
      });
      const results = yield* gather(tasks, { returnExceptions: true });
      say(results.map((r) => (r instanceof Error ? r.name : r)).join(", "));
    },
    { clock: "virtual", core },
  );
  return log;
}

it("random programs leave the same trace on the Wasm and the JS core", async () => {
  await fc.assert(
    fc.asyncProperty(program, async (scripts) => {
      const wasm = await trace("wasm", scripts);
      const js = await trace("js", scripts);
      expect(wasm).toEqual(js);
      expect(wasm.length).toBeGreaterThan(0);
    }),
    { numRuns: 150 },
  );
});
