// JavaScript can fail with undefined: a promise's bare `reject()` reaching a task through
// until(), or `throw undefined`. Python cannot raise None, so asyncio tells failure from
// success by `exception() is not None`; here that would take such a task for a success.
// Every combinator tells them apart by the future's state instead.
import { expect, it } from "vitest";
import {
  createTask,
  ExceptionGroup,
  FIRST_EXCEPTION,
  getRunningLoop,
  run,
  shield,
  sleep,
  taskGroup,
  until,
  wait,
} from "../src/index.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

function* failsWithUndefined(ms: number) {
  yield* sleep(ms);
  yield* until(Promise.reject(undefined));
}

forEachCore("failing with undefined", (core) => {
  it("a TaskGroup takes it for a failure: the others are cancelled, and it is in the ExceptionGroup", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(failsWithUndefined(5));
          tg.createTask(function* () {
            try {
              yield* sleep(50);
              log.push("sibling finished");
            } finally {
              log.push(`sibling cleaned up at ${getRunningLoop().time()}`);
            }
          });
        });
      } catch (error) {
        log.push(error instanceof ExceptionGroup ? `group of ${JSON.stringify(error.exceptions)}` : String(error));
      }
      return log;
    });
    expect(out).toEqual(["sibling cleaned up at 5", "group of [null]"]);
  });

  it("wait(FIRST_EXCEPTION) returns at it, and shield() passes it on", async () => {
    const out = await runVirtual(core, function* () {
      const failing = createTask(failsWithUndefined(5));
      const slow = createTask(sleep(50));
      const { done, pending } = yield* wait([failing, slow], { returnWhen: FIRST_EXCEPTION });
      const returnedAt = getRunningLoop().time();
      const shielded = yield* until(
        shield(createTask(failsWithUndefined(1))).then(
          () => "fulfilled",
          (error: unknown) => `rejected with ${String(error)}`,
        ),
      );
      slow.cancel();
      return [done.has(failing), pending.has(slow), returnedAt, failing.done(), shielded];
    });
    expect(out).toEqual([true, true, 5, true, "rejected with undefined"]);
  });

  it("run() reports it when a task left behind fails so during shutdown", async () => {
    const reports: string[] = [];
    await run(
      function* () {
        getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context.message));
        createTask(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            // (a throw in finally, the failure under test)
            throw undefined;
          }
        });
        yield* sleep(1);
      },
      { clock: "virtual", core },
    );
    expect(reports).toEqual(["unhandled exception during run() shutdown"]);
  });
});
