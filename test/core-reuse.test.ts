// A closed loop's Wasm core, left empty, is kept for the next loop, since making one (an
// instance with its own memory) costs ten times a small run(). What the next loop finds
// must be a core as new: no timer, nothing ready, none of the old loop's callbacks.
import { expect, it } from "vitest";
import { compileInlined, IDLE_CORES_PER_MODULE, inlinedCoreBytes } from "../src/core/load-core.ts";
import type { SchedulerCore } from "../src/core/scheduler-core.ts";
import { createTask, EventLoop, run, sleep } from "../src/index.ts";

const coreOf = (loop: EventLoop) => loop._core as SchedulerCore;

it("a loop closed empty hands its core to the next loop; one closed with work left does not", async () => {
  const seen: string[] = [];
  const leaving = new EventLoop({ clock: "virtual", core: "wasm" });
  leaving.setExceptionHandler(() => {}); // it reports the task it leaves asleep
  const leftCore = coreOf(leaving);
  await leaving.runUntilComplete(function* () {
    createTask(function* () {
      yield* sleep(1_000); // still asleep when the loop closes: a pending timer
      seen.push("old task woke");
    });
    leaving.callLater(500, () => seen.push("old timer"));
    yield* sleep(0);
  });
  leaving.close();

  const empty = new EventLoop({ clock: "virtual", core: "wasm" });
  expect(coreOf(empty)).not.toBe(leftCore);
  const emptyCore = coreOf(empty);
  await empty.runUntilComplete(function* () {
    empty.callLater(5, () => seen.push("timer that ran"));
    yield* sleep(10);
  });
  empty.close();

  const next = new EventLoop({ clock: "virtual", core: "wasm" });
  expect(coreOf(next)).toBe(emptyCore);
  expect([emptyCore.timerCount(), emptyCore.readyCount()]).toEqual([0, 0]);
  await next.runUntilComplete(function* () {
    next.callLater(20, () => seen.push("new timer at 20"));
    next.callLater(10, () => seen.push("new timer at 10"));
    next.callSoon(() => seen.push("new callback"));
    yield* sleep(2_000);
  });
  next.close();
  expect(seen).toEqual(["timer that ran", "new callback", "new timer at 10", "new timer at 20"]);
});

it("run() after run() reuses one core, and each runs its own timers in order", async () => {
  const cores = new Set<SchedulerCore>();
  for (let i = 0; i < 5; i++) {
    const order = await run(
      function* () {
        cores.add(coreOf(createTask(sleep(0))._loop));
        const out: number[] = [];
        const sleepers = [30, 10, 20].map((ms) => createTask(function* () {
          yield* sleep(ms);
          out.push(ms);
        }));
        for (const sleeper of sleepers) yield* sleeper;
        return out;
      },
      { clock: "virtual", core: "wasm" },
    );
    expect(order).toEqual([10, 20, 30]);
  }
  expect(cores.size).toBe(1);
});

it("as many cores are kept as loops closed, up to 512 (16 in a page): a server's 500 loops per request at once find theirs", () => {
  const kept = typeof document === "undefined" ? 512 : 16;
  expect(IDLE_CORES_PER_MODULE).toBe(kept);
  // Loops that take the cores other tests left kept, so that none is kept when it starts.
  const holding = Array.from({ length: kept + 10 }, () => new EventLoop({ core: "wasm" }));
  const first = Array.from({ length: kept + 6 }, () => new EventLoop({ core: "wasm" }));
  const firstCores = new Set(first.map(coreOf));
  for (const loop of first) loop.close();
  const second = Array.from({ length: kept + 6 }, () => new EventLoop({ core: "wasm" }));
  expect(second.filter((loop) => firstCores.has(coreOf(loop))).length).toBe(kept);
  for (const loop of [...holding, ...second]) loop.close();
});

it("a loop whose options are refused takes no core: the one kept for the next loop stays kept", () => {
  const loop = new EventLoop({ core: "wasm" });
  const core = coreOf(loop);
  loop.close();
  expect(() => new EventLoop({ core: "wasm", autojumpThreshold: -1 })).toThrow(RangeError);
  const next = new EventLoop({ core: "wasm" });
  expect(coreOf(next)).toBe(core);
  next.close();
});

it("a run() that refuses its main closes the loop it made: the core goes on to the next loop", async () => {
  const loop = new EventLoop({ core: "wasm" });
  const core = coreOf(loop);
  loop.close();
  await expect(run(42 as never)).rejects.toThrow(TypeError); // its loop took the kept core
  const next = new EventLoop({ core: "wasm" });
  expect(coreOf(next)).toBe(core);
  next.close();
});

it("a core is kept for loops made with its own module only, and not once it has grown large", async () => {
  const other = new WebAssembly.Module(inlinedCoreBytes());
  const inlined = new EventLoop({ core: "wasm" });
  const inlinedCore = coreOf(inlined);
  inlined.close();
  const precompiled = new EventLoop({ core: other });
  expect(coreOf(precompiled)).not.toBe(inlinedCore); // a core of the other module
  const precompiledCore = coreOf(precompiled);
  precompiled.close();
  expect(coreOf(new EventLoop({ core: other }))).toBe(precompiledCore);
  expect(compileInlined()).not.toBe(other);

  // 100,000 timers at once grow the memory past what a kept core may hold: they all fire,
  // and the core, empty again, is not kept for its size.
  const big = new EventLoop({ clock: "virtual", core: "wasm" });
  const bigCore = coreOf(big);
  for (let i = 0; i < 100_000; i++) big.callLater(1_000 + i, () => {});
  await big.runUntilComplete(sleep(200_000));
  expect(bigCore.timerCount() + bigCore.readyCount()).toBe(0);
  big.close();
  expect(coreOf(new EventLoop({ core: "wasm" }))).not.toBe(bigCore);
});

it("the JS core is not kept: it costs little to make", () => {
  const loop = new EventLoop({ core: "js" });
  const core = coreOf(loop);
  loop.close();
  expect(coreOf(new EventLoop({ core: "js" }))).not.toBe(core);
});

it("a loop that ran many tasks at once, with its memory not grown past 128 KiB, hands its core on", async () => {
  let used: SchedulerCore | undefined;
  await run(
    function* () {
      used = coreOf(createTask(sleep(0))._loop);
      const tasks = Array.from({ length: 10_000 }, () => createTask(sleep(0)));
      for (const task of tasks) yield* task;
    },
    { core: "wasm" },
  );
  const next = new EventLoop({ core: "wasm" });
  expect(coreOf(next)).toBe(used);
  next.close();
});
