// The loop's own CancelledErrors carry no captured stack (capturing one would make
// cancelling many tasks slow): their `stack` reads as the name and message.
import { expect, it } from "vitest";
import { CancelledError, createTask, sleep } from "../src/index.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

forEachCore("CancelledError", (core) => {
  it("one the loop throws into a cancelled task has the name and message for a stack, and takes a stack assigned", async () => {
    const out = await runVirtual(core, function* () {
      const caught: CancelledError[] = [];
      const sleeper = () =>
        createTask(function* () {
          try {
            yield* sleep(100);
          } catch (error) {
            caught.push(error as CancelledError);
          }
        });
      const withMessage = sleeper();
      const without = sleeper();
      yield* sleep(1);
      withMessage.cancel("why");
      without.cancel();
      yield* sleep(1);
      const [first, second] = caught;
      const stacks = [first!.stack, second!.stack];
      first!.stack = "CancelledError: why\n    at a logger that added this";
      return [...stacks, first!.stack, first instanceof CancelledError, first instanceof Error];
    });
    expect(out).toEqual([
      "CancelledError: why",
      "CancelledError",
      "CancelledError: why\n    at a logger that added this",
      true,
      true,
    ]);
  });

  it("a stack assigned to one the loop threw stays out of Object.keys and JSON, as an Error's own stack does", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(sleep(100));
      yield* sleep(1);
      task.cancel("why");
      try {
        yield* task;
      } catch (error) {
        (error as Error).stack = "CancelledError: why\n    at a logger that added this";
        return [Object.keys(error as object).includes("stack"), JSON.stringify(error).includes("logger"), (error as Error).stack];
      }
    });
    expect(out).toEqual([false, false, "CancelledError: why\n    at a logger that added this"]);
  });

  it("a cancel(null), from code that ports asyncio's cancel(None), has no message, as cancel() has none", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(sleep(100));
      yield* sleep(1);
      task.cancel(null as never);
      try {
        yield* task;
      } catch (error) {
        return String(error);
      }
    });
    expect(out).toBe("CancelledError");
  });

  it("a cancel(123) or cancel(object) from plain JavaScript gives a message that is text, as asyncio's str(error)", async () => {
    const out = await runVirtual(core, function* () {
      const messages: unknown[] = [];
      for (const reason of [123, { code: 7, toString: () => "code 7" }]) {
        const task = createTask(sleep(100));
        yield* sleep(1);
        task.cancel(reason as never);
        try {
          yield* task;
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      return messages;
    });
    expect(out).toEqual(["123", "code 7"]);
  });
});

it("one a program makes with new CancelledError() has a stack trace of its own", () => {
  const error = new CancelledError("stop");
  expect(error.name).toBe("CancelledError");
  expect(error.stack).toMatch(/^CancelledError: stop\n/);
});
