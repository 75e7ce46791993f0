// What the README promises about Node's AsyncLocalStorage: with one `run()` per request,
// everything the run does (task steps, loop callbacks, done callbacks, `until()` and what
// it awaits) sees the store the run was started in, on the real clock, where the loop is
// woken by host timers and promises. Runs in Node 20 (async hooks) and Node 26
// (AsyncContextFrame), and in Bun.
import { AsyncLocalStorage } from "node:async_hooks";
import { expect, it } from "vitest";
import { createTask, gather, getRunningLoop, run, sleep, until } from "../src/index.ts";
import { type CoreName, forEachCore } from "./helpers.ts";

const request = new AsyncLocalStorage<string>();

/** A request's work: every place it reads the store from, in the order they ran. */
function handle(id: string, core: CoreName) {
  const seen: string[] = [];
  const look = (where: string): void => {
    seen.push(`${where}: ${request.getStore() ?? "none"}`);
  };
  const done = request.run(id, () =>
    run(function* () {
      const loop = getRunningLoop();
      look("main");
      const child = createTask(function* () {
        yield* sleep(2);
        look("child after a real sleep");
        yield* until(new Promise((resolve) => setTimeout(resolve, 3)));
        look("child after until()");
      }());
      child.addDoneCallback(() => look("done callback"));
      loop.callLater(1, () => look("callLater"));
      yield* until(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        look("async function of until()");
      });
      yield* child;
      yield* gather([sleep(1)]);
      look("main at the end");
    }, { core }),
  );
  return { seen, done };
}

forEachCore("AsyncLocalStorage with one run() per request", (core) => {
  it("every step, callback and until() of a run sees the store it was started in, while other runs interleave", async () => {
    const requests = ["a", "b", "c"].map((id) => handle(id, core));
    await Promise.all(requests.map(({ done }) => done));
    for (const [index, { seen }] of requests.entries()) {
      const id = "abc"[index];
      expect(seen.sort()).toEqual(
        [
          "main",
          "callLater",
          "async function of until()",
          "child after a real sleep",
          "child after until()",
          "done callback",
          "main at the end",
        ]
          .map((where) => `${where}: ${id}`)
          .sort(),
      );
    }
  });
});
