// WorkerExecutor over module Web Workers in Chromium: the web side of the executor
// (addEventListener, message events, error events) that the Node and Bun tests, which
// use node:worker_threads, do not reach.
import { afterEach, expect, it } from "vitest";
import { gather, run, sleep, TimeoutError, waitFor, WorkerExecutor } from "../../src/index.ts";
import type { functions } from "../fixtures/web.worker.ts";
import { messageOf } from "../helpers.ts";

const made: Worker[] = [];
afterEach(() => {
  for (const worker of made.splice(0)) worker.terminate();
});

function pool(maxWorkers: number): WorkerExecutor<typeof functions> {
  return new WorkerExecutor<typeof functions>(() => {
    const worker = new Worker(new URL("../fixtures/web.worker.ts", import.meta.url), { type: "module" });
    made.push(worker);
    return worker;
  }, { maxWorkers });
}

it("runs calls on module workers, at most maxWorkers of them, and passes errors back", async () => {
  const executor = pool(2);
  const out = await run(function* () {
    const spun = yield* gather([1, 2, 3].map(() => executor.call("spin", 10)));
    const squares = yield* gather([2, 3].map((x) => executor.call("square", x)));
    const failed = yield* messageOf(() => executor.call("fail", "out of range"));
    yield* executor.shutdown();
    return [spun, squares, failed];
  });
  expect(out).toEqual([[10, 10, 10], [4, 9], "RangeError: out of range"]);
  expect(made.length).toBe(2);
});

it("a call past its deadline ends with TimeoutError and its worker is replaced", async () => {
  const executor = pool(1);
  const out = await run(function* () {
    const timedOut = yield* messageOf(() => waitFor(executor.call("spin", Infinity), 50));
    const fresh = yield* executor.call("count"); // a new worker: it has answered nothing yet
    yield* executor.shutdown();
    return [timedOut.split(":")[0], fresh];
  });
  expect(out).toEqual([TimeoutError.name, 0]);
  expect(made.length).toBe(2);
});

it("an error the worker throws outside any call fails the call it runs, and the worker is replaced", async () => {
  const executor = pool(1);
  const out = await run(function* () {
    const crashed = yield* messageOf(() => executor.call("crashLater"));
    const next = yield* executor.call("square", 7);
    yield* executor.shutdown();
    return [crashed, next];
  });
  expect(out[0]).toMatch(/^RuntimeError: the worker running crashLater\(\) failed: .*crash outside any call/);
  expect(out[1]).toBe(49);
  expect(made.length).toBe(2);
});

it("a worker that closes itself (self.close()) fails its call, busy or not, and the next call gets a new worker", async () => {
  const executor = pool(1);
  const out = await run(function* () {
    const closedInCall = yield* messageOf(() => executor.call("closeSelf"));
    yield* executor.call("closeLater", 20);
    const closedWhileBusy = yield* messageOf(() => executor.call("later", 60_000)); // closed 20 ms in
    yield* executor.call("closeLater", 0);
    yield* sleep(200); // the idle worker closes meanwhile
    const fresh = yield* executor.call("count"); // a new worker: it has answered nothing yet
    yield* executor.shutdown();
    return [closedInCall, closedWhileBusy, fresh];
  });
  expect(out).toEqual([
    "RuntimeError: the worker running closeSelf() failed: it closed itself (close())",
    "RuntimeError: the worker running later() failed: it closed itself (close())",
    0,
  ]);
  expect(made.length).toBe(4);
});
