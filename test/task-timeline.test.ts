// The timeline: what each task did, span by span, over a recording, and its text drawing.
// Times are exact under the virtual clock.
import { expect, it } from "vitest";
import {
  createTask,
  currentTask,
  Event,
  EventLoop,
  formatTaskTree,
  formatTimeline,
  gather,
  getRunningLoop,
  Lock,
  recordTimeline,
  run,
  sleep,
  staggeredRace,
  taskGroup,
  TaskTimeline,
  type Yielded,
} from "../src/index.ts";
import { forEachCore, runVirtual, thrown } from "./helpers.ts";

/** Each row as "name start–end: span, span...", spans as "start–end activity (waitingOn)". */
function rowsOf(timeline: TaskTimeline): string[] {
  return timeline.rows.map(
    (row) =>
      `${row.name} ${row.start}–${row.end ?? "…"}: ` +
      row.spans.map((s) => `${s.start}–${s.end} ${s.activity}${s.waitingOn ? ` (${s.waitingOn})` : ""}`).join(", "),
  );
}

/** Two fetches behind one lock and a short sleeper in a TaskGroup, then 100 ms more. */
function* lockedFetches(): Generator<Yielded, TaskTimeline, unknown> {
  currentTask()!.setName("main");
  const timeline = recordTimeline();
  const lock = new Lock();
  const fetch = (ms: number) => lock.with(() => sleep(ms));
  yield* taskGroup(function* (tg) {
    tg.createTask(fetch(300), { name: "fetch-a" });
    tg.createTask(fetch(200), { name: "fetch-b" });
    tg.createTask(sleep(100), { name: "short" });
  });
  yield* sleep(100);
  timeline.stop();
  return timeline;
}

forEachCore("recordTimeline", (core) => {
  it("records each task's spans: what it slept or waited on, from when to when", async () => {
    const timeline = await runVirtual(core, lockedFetches);
    expect([timeline.start, timeline.end]).toEqual([0, 600]);
    expect(rowsOf(timeline)).toEqual([
      "main 0–…: 0–500 waiting (the end of its taskGroup()), 500–600 sleeping (sleep() until 600 ms), 600–600 running",
      "fetch-a 0–300: 0–300 sleeping (sleep() until 300 ms)",
      "fetch-b 0–500: 0–300 waiting (acquire() on <Lock [locked, waiters:1]>), 300–500 sleeping (sleep() until 500 ms)",
      "short 0–100: 0–100 sleeping (sleep() until 100 ms)",
    ]);
    // Who waited on each task in each span: the TaskGroup's tasks were main's.
    expect(timeline.rows.map((row) => row.spans.map((span) => span.awaitedBy.map((parent) => parent.name)))).toEqual([
      [[], [], []],
      [["main"]],
      [["main"], ["main"]],
      [["main"]],
    ]);
  });

  it("gives a task started by another later its waiter: a TaskGroup's owner, a staggeredRace's racing task", async () => {
    const awaitedBy = (timeline: TaskTimeline) =>
      timeline.rows.map((row) => `${row.name}: ${row.spans.map((span) => span.awaitedBy.map((parent) => parent.name).join(",")).join(" ")}`);
    const grouped = await runVirtual(core, function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      yield* taskGroup(function* (tg) {
        tg.createTask(function* () {
          yield* sleep(2);
          tg.createTask(sleep(3), { name: "second" }); // from a task of the group, not from main
          yield* sleep(10);
        }, { name: "first" });
      });
      timeline.stop();
      return timeline;
    });
    expect(awaitedBy(grouped)).toEqual(["main:  ", "first: main main", "second: main"]);
    const raced = await runVirtual(core, function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      yield* staggeredRace([sleep(10, "a"), sleep(3, "b")], 2);
      timeline.stop();
      return timeline;
    });
    // Every runner, the one started 2 ms later too, is main's.
    expect(awaitedBy(raced).map((row) => row.replace(/Task-\d+/, "runner"))).toEqual([
      "main:  ",
      "runner: main",
      "runner: main main",
      "runner: main", // started at 2 ms
    ]);
  });

  it("draws the recording as text, a column per slice of time", async () => {
    const timeline = await runVirtual(core, lockedFetches);
    expect(formatTimeline(timeline, { width: 12 }).split("\n")).toEqual([
      "         0 ms  600 ms",
      "main     ----------==",
      "fetch-a  ======",
      "fetch-b  ------====",
      "short    ==",
      "         = sleeping  - waiting  # ready or running",
    ]);
  });

  it("draws 60 columns by default, each change where its time falls, up to the recording's stop, and a tight axis joined by 'to'", async () => {
    const timeline = await runVirtual(core, function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      const set = new Event();
      const a = createTask(sleep(10), { name: "a" });
      const b = createTask(() => set.wait(), { name: "b" });
      yield* a;
      yield* sleep(10);
      set.set();
      yield* b;
      yield* sleep(20); // no task changes after 20 ms: the drawing still ends at the stop
      timeline.stop();
      return timeline;
    });
    expect(formatTimeline(timeline).split("\n")).toEqual([
      `      0 ms${" ".repeat(51)}40 ms`,
      `main  ${"-".repeat(15)}${"=".repeat(45)}`,
      `a     ${"=".repeat(15)}`,
      `b     ${"-".repeat(30)}`,
      "      = sleeping  - waiting  # ready or running",
    ]);
    // "0 ms" and "40 ms" take 9 columns: too few to stand apart. And changes that fall
    // inside a column (each is 4.4 ms wide).
    expect(formatTimeline(timeline, { width: 9 }).split("\n").slice(0, 4)).toEqual([
      "      0 ms to 40 ms",
      "main  --=======",
      "a     ===",
      "b     -----",
    ]);
    // A change in the middle of a column (10 ms, in the fifth of 18): what came first there.
    expect(formatTimeline(timeline, { width: 18 }).split("\n")[1]).toBe("main  -----=============");
    expect(formatTimeline(timeline, { width: 12 }).split("\n")[0]).toBe("      0 ms   40 ms");
  });

  it("draws a recording stopped after its tasks ended up to its stop", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const timeline = await loop.runUntilComplete(function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      yield* sleep(10);
      return timeline;
    });
    const later = loop.createFuture();
    loop.callLater(30, () => later.setResult(null));
    await loop.runUntilComplete(later); // 30 ms more, and no task
    timeline.stop();
    loop.close();
    expect(formatTimeline(timeline, { width: 12 }).split("\n").slice(0, 2)).toEqual(["      0 ms   40 ms", "main  ==="]);
  });

  it("shows a task only if it lived past an instant, and a task that keeps sleeping as one span", async () => {
    const timeline = await runVirtual(core, function* () {
      const timeline = recordTimeline();
      createTask(function* () {}, { name: "instant" }); // begins and ends at 0
      const ticker = createTask(
        function* () {
          for (;;) yield* sleep(10);
        },
        { name: "ticker" },
      );
      yield* sleep(25);
      ticker.cancel();
      yield* sleep(5);
      timeline.stop();
      return timeline;
    });
    expect(rowsOf(timeline).slice(1)).toEqual([
      "ticker 0–25: 0–10 sleeping (sleep() until 10 ms), 10–20 sleeping (sleep() until 20 ms), 20–25 sleeping (sleep() until 30 ms)",
    ]);
  });

  it("keeps a gather's ready steps out of sight: only what lasts is drawn", async () => {
    const timeline = await runVirtual(core, function* () {
      const timeline = recordTimeline();
      yield* gather([createTask(sleep(20), { name: "a" }), createTask(sleep(10), { name: "b" })]);
      timeline.stop();
      return timeline;
    });
    expect(formatTimeline(timeline, { width: 4 }).split("\n").slice(1, 4)).toEqual([
      expect.stringMatching(/^Task-\d+ +----$/),
      expect.stringMatching(/^a +====$/),
      expect.stringMatching(/^b +==$/),
    ]);
  });

  it("refuses a second recording of one loop; stop() twice is one stop; a new recording may follow", async () => {
    const messages = await runVirtual(core, function* () {
      const first = recordTimeline();
      const refused = thrown(() => recordTimeline());
      yield* sleep(10);
      first.stop();
      yield* sleep(5);
      first.stop(); // later: it changes nothing
      const second = recordTimeline();
      yield* sleep(10);
      second.stop();
      return [refused, first.end, second.start, second.end];
    });
    expect(messages).toEqual(["RuntimeError: a timeline is already recording this loop", 10, 15, 25]);
  });

  it("keeps a task's row under its latest name", async () => {
    const timeline = await runVirtual(core, function* () {
      const timeline = recordTimeline();
      const task = createTask(sleep(10), { name: "before" });
      yield* sleep(5);
      task.setName("after");
      yield* task;
      timeline.stop();
      return timeline;
    });
    expect(rowsOf(timeline)[1]).toBe("after 0–10: 0–5 sleeping (sleep() until 10 ms), 5–10 sleeping (sleep() until 10 ms)");
  });

  it("draws a recording that took no time as one column, and cuts a long name to 20 characters", async () => {
    const timeline = await runVirtual(core, function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      createTask(sleep(5), { name: "a-task-with-a-rather-long-name" });
      createTask(sleep(5), { name: "exactly-twenty-chars" }); // 20: kept whole
      yield* sleep(0);
      timeline.stop();
      return timeline;
    });
    expect(formatTimeline(timeline, { width: 10 }).split("\n")).toEqual([
      "                      0 ms to 0 ms",
      "main                  #",
      "a-task-with-a-rathe…  =",
      "exactly-twenty-chars  =",
      "                      = sleeping  - waiting  # ready or running",
    ]);
  });

  it("refuses what is not a loop, made with new or recordTimeline", () => {
    expect(thrown(() => new TaskTimeline(42 as never))).toBe("TypeError: new TaskTimeline() needs an EventLoop, got number 42");
    expect(thrown(() => recordTimeline({} as never))).toBe("TypeError: recordTimeline() needs an EventLoop, got an object of class Object");
  });

  it("records a loop from outside it, across runUntilComplete calls", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const timeline = recordTimeline(loop);
    await loop.runUntilComplete(loop.createTask(sleep(5), { name: "first" }));
    await loop.runUntilComplete(loop.createTask(sleep(30), { name: "later" }));
    timeline.stop();
    loop.close();
    expect(rowsOf(timeline)).toEqual([
      "first 0–5: 0–5 sleeping (sleep() until 5 ms)",
      "later 5–35: 5–35 sleeping (sleep() until 35 ms)",
    ]);
  });

  it("looks at a task again only when it does something new, not at every instant", async () => {
    let looks = 0;
    const timeline = await runVirtual(core, function* () {
      const timeline = recordTimeline();
      const idle = createTask(sleep(Infinity), { name: "idle" });
      const getName = idle.getName.bind(idle);
      idle.getName = () => {
        looks++;
        return getName();
      };
      // 1,000 instants, each of which wakes one task.
      yield* gather(Array.from({ length: 1_000 }, (_, i) => createTask(sleep(i + 1))));
      timeline.stop();
      idle.cancel();
      return timeline;
    });
    expect(timeline.rows.length).toBe(1_002);
    expect(rowsOf(timeline)[1]).toBe("idle 0–…: 0–1000 sleeping (sleep(Infinity))");
    // Seen when it started and when it began to sleep: not at each of the 1,000 instants.
    expect(looks).toBeLessThan(5);
  });

  it("ends the spans of the tasks still unfinished at the stop: their rows' end stays null", async () => {
    const [whileRecording, timeline] = await runVirtual(core, function* () {
      const timeline = recordTimeline();
      createTask(sleep(1_000), { name: "sleeper" });
      yield* sleep(300);
      const whileRecording = rowsOf(timeline); // open spans end now
      yield* sleep(200);
      timeline.stop();
      return [whileRecording, timeline] as const;
    });
    expect(whileRecording[1]).toBe("sleeper 0–…: 0–300 sleeping (sleep() until 1000 ms)");
    expect(timeline.end).toBe(500);
    expect(rowsOf(timeline)[1]).toBe("sleeper 0–…: 0–500 sleeping (sleep() until 1000 ms)");
    expect(formatTimeline(timeline, { width: 10 }).split("\n")[2]).toMatch(/^sleeper +={10}$/);
  });

  it("a primitive whose toString() throws, waited on while recording, is named by its class; the loop goes on", async () => {
    class NamedLock extends Lock {
      override toString(): string {
        throw new Error("toString failed");
      }
    }
    const reports: unknown[] = [];
    const [got, rows, tree] = await runVirtual(core, function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context.exception));
      const timeline = recordTimeline();
      const lock = new NamedLock();
      yield* lock.acquire();
      const waiter = createTask(lock.with(() => "got it"), { name: "waiter" });
      yield* sleep(10);
      const tree = formatTaskTree();
      lock.release();
      const got = yield* waiter;
      timeline.stop();
      return [got, rowsOf(timeline), tree];
    });
    expect(got).toBe("got it");
    expect(rows.find((row) => row.startsWith("waiter"))).toBe(
      "waiter 0–10: 0–10 waiting (acquire() on an object of class NamedLock (its toString() threw))",
    );
    expect(tree).toContain("waiter: acquire() on an object of class NamedLock (its toString() threw)");
    expect(reports).toEqual([]);
  });

  it("rejects a width that is not a positive integer up to 10,000", async () => {
    const timeline = await runVirtual(core, lockedFetches);
    const refused: [unknown, string][] = [
      [0, "number 0"],
      [10_001, "number 10001"],
      [2 ** 53, "number 9007199254740992"],
      [-3, "number -3"],
      [2.5, "number 2.5"],
      [Number.NaN, "number NaN"],
      ["60", 'the string "60"'],
      [{}, "an object of class Object"],
    ];
    for (const [width, named] of refused) {
      // A RangeError for a number out of range, a TypeError for what is no number.
      const kind = typeof width === "number" ? "RangeError" : "TypeError";
      expect(thrown(() => formatTimeline(timeline, { width: width as number }))).toBe(
        `${kind}: formatTimeline(): width must be a positive integer up to 10000, got ${named}`,
      );
    }
    expect(formatTimeline(timeline, { width: 10_000 }).split("\n")[0]!.length).toBeGreaterThan(10_000);
  });

  it("on the real clock, a task ready when the recording looks is looked at again for what it goes on to wait on", async () => {
    // Its step was scheduled in an earlier iteration, at another time, and the step that
    // parks it on the event schedules nothing that would bring the recording back to it.
    const spans = await run(
      function* () {
        const timeline = recordTimeline();
        const event = new Event();
        createTask(() => event.wait(), { name: "waiter" });
        holdThread(2); // the next iteration is at another time: the recording looks then, the waiter ready
        yield* sleep(20);
        timeline.stop();
        event.set();
        return timeline.rows.find((row) => row.name === "waiter")!.spans.map((span) => `${span.activity} (${span.waitingOn})`);
      },
      { core },
    );
    expect(spans).toEqual(["ready ()", "waiting (wait() on <Event [unset, waiters:1]>)"]);
  });
});

/** Holds the thread for `ms` of real time, so that the loop's real clock moves on. */
function holdThread(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

it("draws a recording of more rows than a call takes arguments", () => {
  // Rows made by hand: running 300,000 tasks to get them would only take longer.
  const rows = Array.from({ length: 300_000 }, (_, i) => ({
    name: `t${i}`,
    start: 0,
    end: null,
    spans: [{ start: 0, end: 1 + (i % 7), activity: "sleeping" as const, waitingOn: "" }],
  }));
  const timeline = Object.create(TaskTimeline.prototype, {
    rows: { value: rows },
    start: { value: 0 },
    end: { value: null },
  }) as TaskTimeline;
  const lines = formatTimeline(timeline, { width: 7 }).split("\n");
  expect(lines[0]!.trim()).toBe("0 ms to 7 ms");
  expect(lines[1]).toBe("t0       =");
  expect(lines).toHaveLength(300_002);
});

it("records spans without gaps in real time too", async () => {
  const loop = new EventLoop();
  const timeline = recordTimeline(loop);
  await loop.runUntilComplete(
    loop.createTask(function* () {
      yield* gather([sleep(5), sleep(10)]);
    }),
  );
  timeline.stop();
  loop.close();
  expect(timeline.rows.length).toBe(3);
  for (const row of timeline.rows) {
    expect(row.spans[0]!.start).toBe(row.start);
    for (let i = 1; i < row.spans.length; i++) expect(row.spans[i]!.start).toBe(row.spans[i - 1]!.end);
  }
});
