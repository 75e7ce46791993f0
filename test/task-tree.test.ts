// The task tree and the call graph: what each unfinished task is doing, what it waits on,
// and who waits on it, read from the runtime's state at exact virtual times.
import { expect, it } from "vitest";
import {
  asCompleted,
  Barrier,
  captureCallGraph,
  Condition,
  createTask,
  currentTask,
  Event,
  formatCallGraph,
  formatTaskTree,
  Future,
  type FutureCallGraph,
  gather,
  getRunningLoop,
  Lock,
  Queue,
  Semaphore,
  shield,
  sleep,
  staggeredRace,
  type Task,
  taskGroup,
  taskTree,
  timeout,
  until,
  wait,
  waitFor,
  type Yielded,
} from "../src/index.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

/** Names the running task "main", then runs `body`. */
function named<T>(body: () => Generator<Yielded, T, unknown>): () => Generator<Yielded, T, unknown> {
  return function* () {
    currentTask()!.setName("main");
    return yield* body();
  };
}

/** A coroutine that awaits `future`: for tasks whose whole body is one await. */
function* awaiting(future: Future<unknown>): Generator<Yielded, unknown, unknown> {
  return yield* future;
}

/** The task tree's text at loop time `ms`, taken from a loop callback. */
function treeAt(ms: number): Future<string> {
  const loop = getRunningLoop();
  const text = loop.createFuture<string>();
  loop.callLater(ms, () => text.setResult(formatTaskTree()));
  return text;
}

forEachCore("taskTree", (core) => {
  it("shows a gather's children under the task that awaits it, with what each waits on", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const lock = new Lock();
        yield* lock.acquire();
        const text = treeAt(50);
        createTask(
          function* () {
            yield* sleep(1_000);
            lock.release();
          },
          { name: "holder" },
        );
        yield* gather([
          createTask(sleep(300), { name: "a" }),
          createTask(lock.with(function* () {}), { name: "b" }),
        ]);
        return text.result();
      }),
    );
    expect(tree).toBe(
      [
        "main: gather() of 2",
        "├── a: sleep() until 300 ms",
        "└── b: acquire() on <Lock [locked, waiters:1]>",
        "holder: sleep() until 1000 ms",
      ].join("\n"),
    );
  });

  it("puts a TaskGroup's tasks under its parent, in the body and while the group ends", async () => {
    const trees = await runVirtual(
      core,
      named(function* () {
        const inBody = treeAt(10);
        const atEnd = treeAt(150);
        yield* taskGroup(function* (tg) {
          tg.createTask(sleep(200), { name: "slow" });
          tg.createTask(
            function* () {
              yield* taskGroup(function* (inner) {
                inner.createTask(sleep(100), { name: "grandchild" });
              });
            },
            { name: "nested" },
          );
          yield* sleep(50);
        });
        return [inBody.result(), atEnd.result()];
      }),
    );
    expect(trees[0]).toBe(
      [
        "main: sleep() until 50 ms",
        "├── slow: sleep() until 200 ms",
        "└── nested: the end of its taskGroup()",
        "    └── grandchild: sleep() until 100 ms",
      ].join("\n"),
    );
    expect(trees[1]).toBe(["main: the end of its taskGroup()", "└── slow: sleep() until 200 ms"].join("\n"));
  });

  it("forgets a TaskGroup once it has ended: later tasks the parent starts are roots", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(sleep(10), { name: "done-child" });
        });
        createTask(sleep(100), { name: "stray" });
        const text = treeAt(20);
        yield* sleep(30);
        return text.result();
      }),
    );
    expect(tree).toBe(["main: sleep() until 40 ms", "stray: sleep() until 110 ms"].join("\n"));
  });

  it("names every kind of wait: tasks, primitives, queues, shield, wait, asCompleted, promises", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const event = new Event();
        const condition = new Condition();
        const barrier = new Barrier(2);
        const semaphore = new Semaphore(0);
        const empty = new Queue<number>();
        const full = new Queue<number>({ maxsize: 1 });
        full.putNowait(1);
        const leaf = createTask(sleep(500), { name: "leaf" });
        const text = treeAt(5);
        const tasks = [
          createTask(awaiting(leaf), { name: "awaits-leaf" }),
          createTask(event.wait(), { name: "event" }),
          createTask(condition.with(() => condition.wait()), { name: "condition" }),
          createTask(barrier.wait(), { name: "barrier" }),
          createTask(semaphore.acquire(), { name: "semaphore" }),
          createTask(empty.get(), { name: "getter" }),
          createTask(full.put(2), { name: "putter" }),
          createTask(full.join(), { name: "joiner" }),
          createTask(awaiting(shield(createTask(sleep(400), { name: "shielded" }))), { name: "shield" }),
          createTask(wait([createTask(sleep(300), { name: "waited" })]), { name: "wait" }),
          createTask(
            function* () {
              for (const next of asCompleted([createTask(sleep(200), { name: "completing" })])) yield* next;
            },
            { name: "as-completed" },
          ),
          createTask(awaiting(until(new Promise(() => {}))), { name: "promise" }),
          createTask(sleep(Infinity), { name: "forever" }),
        ];
        yield* sleep(10);
        for (const task of tasks) task.cancel();
        leaf.cancel();
        return text.result();
      }),
      { autojumpThreshold: 0 },
    );
    expect(tree.split("\n")).toEqual([
      "main: sleep() until 10 ms",
      "awaits-leaf: task leaf",
      "└── leaf: sleep() until 500 ms",
      "event: wait() on <Event [unset, waiters:1]>",
      "condition: wait() on <Condition [unlocked, waiters:1]>",
      // The Barrier, not the Condition it is built on.
      "barrier: wait() on <Barrier [filling, waiters:1/2]>",
      "semaphore: acquire() on <Semaphore [locked, waiters:1]>",
      "getter: get() on <Queue maxsize=0 qsize=0 getters=1>",
      "putter: put() on <Queue maxsize=1 qsize=1 putters=1 tasks=1>",
      "joiner: join() on <Queue maxsize=1 qsize=1 putters=1 tasks=1>",
      "shield: shield()",
      "└── shielded: sleep() until 400 ms",
      "wait: wait()",
      "└── waited: sleep() until 300 ms",
      "as-completed: asCompleted()",
      "└── completing: sleep() until 200 ms",
      "promise: until(): a promise",
      "forever: sleep(Infinity)",
    ]);
  });

  it("shows the running task, ready tasks and cancellations in progress", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const guarded = createTask(
          function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(5); // cleanup that waits
            }
          },
          { name: "cleaning-up" },
        );
        yield* sleep(1);
        guarded.cancel();
        yield* sleep(2);
        createTask(sleep(1), { name: "fresh" });
        return formatTaskTree();
      }),
    );
    expect(tree).toBe(["main: running", "cleaning-up: sleep() until 6 ms (cancelling)", "fresh: ready"].join("\n"));
  });

  it("keeps the tasks a cancellation passes through under those they await: a Future's own cancel() sees the tree as it was", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        let seen = "";
        // A user's Future whose cancel() logs the tree, as a tracing wrapper might.
        class Traced<T> extends Future<T> {
          override cancel(message?: string): boolean {
            seen = formatTaskTree();
            return super.cancel(message);
          }
          override toString(): string {
            return "<Traced>";
          }
        }
        const inner = createTask(awaiting(new Traced<void>()), { name: "inner" });
        const outer = createTask(awaiting(inner), { name: "outer" });
        yield* sleep(1);
        outer.cancel();
        yield* sleep(1);
        return seen;
      }),
    );
    expect(tree).toBe(["main: running", "outer: task inner (cancelling)", "└── inner: <Traced> (cancelling)"].join("\n"));
  });

  it("shows a task whose future or event is done as ready: its wake-up is queued", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const loop = getRunningLoop();
        const reply = loop.createFuture<number>();
        const later = loop.createFuture<number>();
        const opened = new Event();
        createTask(() => reply, { name: "on-reply" });
        createTask(() => opened.wait(), { name: "on-open" });
        createTask(() => later, { name: "on-later" });
        yield* sleep(1);
        reply.setResult(1);
        opened.set();
        const woken = formatTaskTree();
        later.setResult(2);
        return woken;
      }),
    );
    expect(tree).toBe(["main: running", "on-reply: ready", "on-open: ready", "on-later: <Future pending>"].join("\n"));
  });

  it("shows a task whose child just finished as ready, without the child: its wake-up is queued", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const child = createTask(sleep(5), { name: "child" });
        createTask(() => awaiting(child), { name: "parent" });
        // Its sleep ends with the child's, after it: it looks once the child has finished
        // and before the parent's wake-up runs.
        const looker = createTask(function* () {
          yield* sleep(5);
          return formatTaskTree();
        }, { name: "looker" });
        return yield* looker;
      }),
    );
    expect(tree).toBe(["main: task looker", "└── looker: running", "parent: ready"].join("\n"));
  });

  it("shows a task reached twice by one task (gather([t, shield(t)])) once under it", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const child = createTask(sleep(10), { name: "child" });
        const text = treeAt(1);
        yield* gather([child, shield(child)]);
        return text.result();
      }),
    );
    expect(tree).toBe(["main: gather() of 2", "└── child: sleep() until 10 ms"].join("\n"));
  });

  it("shows a task whose sleep ended in this iteration as ready, before its wake-up runs", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const loop = getRunningLoop();
        let seen = "";
        loop.callLater(10, () => (seen = formatTaskTree())); // due with the sleep, and ahead of its wake-up
        createTask(sleep(10), { name: "sleeper" });
        yield* sleep(20);
        return seen;
      }),
    );
    expect(tree).toBe(["main: sleep() until 20 ms", "sleeper: ready"].join("\n"));
  });

  it("shows a task awaited by two tasks under both, and a waitFor's task under its caller", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const shared = createTask(sleep(100), { name: "shared" });
        const text = treeAt(1);
        yield* gather([
          createTask(awaiting(shared), { name: "first" }),
          createTask(awaiting(shared), { name: "second" }),
          createTask(waitFor(createTask(sleep(50), { name: "timed" }), 20), { name: "waiting-for" }),
        ], { returnExceptions: true });
        return text.result();
      }),
    );
    expect(tree).toBe(
      [
        "main: gather() of 3",
        "├── first: task shared",
        "│   └── shared: sleep() until 100 ms",
        "├── second: task shared",
        "│   └── shared: sleep() until 100 ms",
        "└── waiting-for: task timed, timeout at 20 ms", // waitFor's own timeout
        "    └── timed: sleep() until 50 ms",
      ].join("\n"),
    );
  });

  it("shows every runner of a staggeredRace under the task racing, the later ones too", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const text = treeAt(25); // three bodies started by then, at 0, 10 and 20 ms
        yield* staggeredRace([sleep(100), sleep(100), sleep(100), sleep(100)], 10);
        return text.result();
      }),
    );
    expect(tree.split("\n").map((line) => line.replace(/Task-\d+/, "Task-N"))).toEqual([
      "main: staggeredRace()",
      "├── Task-N: sleep() until 100 ms",
      "├── Task-N: sleep() until 110 ms",
      "├── Task-N: sleep() until 120 ms",
      // The fourth runner, waiting for the third body to fail or for its delay to pass.
      "└── Task-N: wait() on <Event [unset, waiters:1]>, timeout at 30 ms",
    ]);
  });

  it("gives the deadlines of the timeout scopes a task is inside of, as they are rescheduled", async () => {
    const trees = await runVirtual(
      core,
      named(function* () {
        const lock = new Lock();
        yield* lock.acquire();
        const texts = [treeAt(5), treeAt(15)];
        createTask(
          timeout(500, () =>
            timeout(200, function* (inner) {
              getRunningLoop().callLater(10, () => inner.reschedule(900)); // later than the outer one
              yield* lock.acquire();
            }),
          ),
          { name: "guarded" },
        );
        yield* sleep(20);
        lock.release();
        yield* sleep(1);
        return texts.map((text) => text.result());
      }),
    );
    expect(trees).toEqual([
      ["main: sleep() until 20 ms", "guarded: acquire() on <Lock [locked, waiters:1]>, timeouts at 200, 500 ms"].join("\n"),
      ["main: sleep() until 20 ms", "guarded: acquire() on <Lock [locked, waiters:1]>, timeouts at 500, 900 ms"].join("\n"),
    ]);
  });

  it("shows tasks that await each other from the oldest, once", async () => {
    const tree = await runVirtual(
      core,
      named(function* () {
        const tasks: Task<unknown>[] = [];
        const awaitOther = (other: number) =>
          function* () {
            yield* sleep(1);
            yield* tasks[other]!;
          };
        tasks.push(createTask(awaitOther(1), { name: "x" }));
        tasks.push(createTask(awaitOther(0), { name: "y" }));
        yield* sleep(2);
        const text = formatTaskTree();
        for (const task of tasks) task.cancel();
        yield* sleep(0);
        return text;
      }),
    );
    expect(tree).toBe(["main: running", "x: task y", "└── y: task x (a cycle: it waits on a task above it)"].join("\n"));
  });

  it("shows a task's own tasks once when several tasks await it, so a lattice of awaits stays small", async () => {
    // Each level's two tasks both await both tasks of the level below: 2^depth paths to
    // the bottom, which a tree that repeated shared subtrees would print in full.
    const depth = 16;
    const out = await runVirtual(
      core,
      named(function* () {
        let below: Task<unknown>[] = [createTask(sleep(100), { name: "bottom" })];
        for (let level = depth; level >= 1; level--) {
          const awaited = below;
          below = ["a", "b"].map((side) =>
            createTask(
              function* () {
                yield* gather(awaited);
              },
              { name: `${side}${level}` },
            ),
          );
        }
        yield* sleep(1);
        const text = formatTaskTree();
        const nodes = taskTree();
        for (const task of below) task.cancel();
        yield* sleep(0);
        return { text, nodes };
      }),
    );
    const lines = out.text.split("\n");
    expect(lines.slice(0, 8)).toEqual([
      "main: running",
      "a1: gather() of 2",
      "├── a2: gather() of 2",
      "│   ├── a3: gather() of 2",
      "│   │   ├── a4: gather() of 2",
      "│   │   │   ├── a5: gather() of 2",
      "│   │   │   │   ├── a6: gather() of 2",
      "│   │   │   │   │   ├── a7: gather() of 2",
    ]);
    // Every task's line once in full, plus one line per later awaiter of each shared task.
    expect(lines.length).toBeLessThan(6 * depth);
    expect(lines.filter((line) => line.endsWith("(its tasks are shown above)")).length).toBeGreaterThan(depth);
    // As data, a shared task is one node under each awaiter.
    const a1 = out.nodes[1]!;
    expect(a1.children[0]!.children[1]).toBe(a1.children[1]!.children[1]);
  });

  it("walks a chain of ten thousand tasks, each awaiting the next, without running out of stack", async () => {
    const length = 10_000;
    const out = await runVirtual(
      core,
      named(function* () {
        const last = createTask(sleep(100), { name: `t${length}` });
        let next: Task<unknown> = last;
        for (let i = length - 1; i >= 1; i--) next = createTask(awaiting(next), { name: `t${i}` });
        const first = next;
        yield* sleep(1);
        const text = formatTaskTree();
        const nodes = taskTree();
        // From the far end: each task's CancelledError wakes the one awaiting it.
        last.cancel();
        yield* gather([first], { returnExceptions: true });
        return { text, nodes };
      }),
    );
    const lines = out.text.split("\n");
    expect(lines).toHaveLength(length + 1);
    expect(lines[1]).toBe("t1: task t2");
    expect(lines[2]).toBe("└── t2: task t3");
    // Past 32 levels the indentation stops growing and the depth is said instead.
    expect(lines[33]).toBe(`${"    ".repeat(31)}└── t33: task t34`);
    expect(lines[34]).toBe(`${"    ".repeat(31)}└── [depth 33] t34: task t35`);
    expect(lines[length]).toBe(`${"    ".repeat(31)}└── [depth ${length - 1}] t${length}: sleep() until 100 ms`);
    let node = out.nodes[1]!;
    let seen = 1;
    while (node.children.length > 0) {
      node = node.children[0]!;
      seen++;
    }
    expect(seen).toBe(length);
  });

  it("gives the nodes as data: task, name, activity, waitingOn, cancelling and children", async () => {
    const nodes = await runVirtual(
      core,
      named(function* () {
        const child = createTask(sleep(10), { name: "child" });
        let seen: ReturnType<typeof taskTree> = [];
        createTask(function* () {
          yield* sleep(1);
          seen = taskTree();
        });
        yield* child;
        return seen;
      }),
    );
    const main = nodes[0]!;
    expect({ ...main, task: main.task.getName(), children: main.children.length }).toEqual({
      task: "main",
      name: "main",
      activity: "waiting",
      waitingOn: "task child",
      cancelling: 0,
      timeouts: [],
      children: 1,
      closesCycle: false,
    });
    expect(main.children[0]).toMatchObject({ name: "child", activity: "sleeping", waitingOn: "sleep() until 10 ms" });
    expect(nodes[1]).toMatchObject({ activity: "running", waitingOn: "", children: [] });
  });

  it("takes a loop from outside its turn", async () => {
    const { EventLoop } = await import("../src/index.ts");
    const loop = new EventLoop({ clock: "virtual", core });
    const task = loop.createTask(sleep(10), { name: "idle" });
    expect(formatTaskTree(loop)).toBe("idle: ready");
    await loop.runUntilComplete(task);
    expect(formatTaskTree(loop)).toBe("");
    loop.close();
  });

  it("still describes the tasks a closed loop left, which let go of its core", async () => {
    const { EventLoop } = await import("../src/index.ts");
    const loop = new EventLoop({ clock: "virtual", core });
    loop.setExceptionHandler(() => {}); // "Task was destroyed but it is pending!" is expected
    loop.createTask(sleep(100), { name: "left" });
    await loop.runUntilComplete(loop.createTask(sleep(10)));
    expect(formatTaskTree(loop)).toBe("left: sleep() until 100 ms");
    loop.close();
    // Its Wasm memory is not kept alive by a closed loop that is kept.
    expect(loop._core).toBeNull();
    expect(formatTaskTree(loop)).toBe("left: sleep(), on a closed loop");
  });
});

it("gives real-clock deadlines to the tenth of a millisecond", async () => {
  const { EventLoop } = await import("../src/index.ts");
  const loop = new EventLoop();
  const text = await loop.runUntilComplete(
    loop.createTask(function* () {
      const idle = createTask(sleep(10_000), { name: "idle" });
      yield* sleep(0);
      const tree = formatTaskTree();
      idle.cancel();
      return tree;
    }),
  );
  loop.close();
  expect(text.split("\n")[1]).toMatch(/^idle: sleep\(\) until \d+(\.\d)? ms$/);
});

forEachCore("captureCallGraph", (core) => {
  it("walks up from a task through a gather to the task awaiting it", async () => {
    const text = await runVirtual(
      core,
      named(function* () {
        let graph = "";
        const lock = new Lock();
        yield* lock.acquire();
        const blocked = createTask(lock.with(function* () {}), { name: "fetch-b" });
        createTask(function* () {
          yield* sleep(5);
          graph = formatCallGraph(blocked);
          lock.release();
        });
        yield* gather([createTask(sleep(10), { name: "fetch-a" }), blocked]);
        return graph;
      }),
    );
    expect(text).toBe(
      [
        "* Task(name='fetch-b')",
        "  + Waiting on: acquire() on <Lock [locked, waiters:1]>",
        "  + Awaited by:",
        "    * Future(gather() of 2)",
        "      + Awaited by:",
        "        * Task(name='main')",
        "          + Waiting on: gather() of 2",
      ].join("\n"),
    );
  });

  it("writes out what waits on a future reached by two paths once, and walks a chain of ten thousand", async () => {
    const out = await runVirtual(
      core,
      named(function* () {
        // Two tasks await the bottom one, and main awaits both: main is reached twice.
        const bottom = createTask(sleep(100), { name: "bottom" });
        const pair = ["left", "right"].map((name) => createTask(awaiting(bottom), { name }));
        const length = 10_000;
        const last = createTask(sleep(100), { name: `c${length}` });
        let next: Task<unknown> = last;
        for (let i = length - 1; i >= 1; i--) next = createTask(awaiting(next), { name: `c${i}` });
        const first = next;
        const looker = createTask(function* () {
          yield* sleep(1);
          const shared = formatCallGraph(bottom);
          const chain = formatCallGraph(last).split("\n");
          const data = captureCallGraph(bottom)!;
          bottom.cancel();
          last.cancel(); // from the far end: each task's CancelledError wakes the next
          return { shared, chain, data };
        }, { name: "looker" });
        const [looked] = yield* gather([looker, first, ...pair], { returnExceptions: true });
        return looked as { shared: string; chain: string[]; data: FutureCallGraph };
      }),
    );
    expect(out.shared.split("\n")).toEqual([
      "* Task(name='bottom')",
      "  + Waiting on: sleep() until 100 ms",
      "  + Awaited by:",
      "    * Task(name='right')",
      "      + Waiting on: task bottom",
      "      + Awaited by:",
      "        * Future(gather() of 4)",
      "          + Awaited by:",
      "            * Task(name='main')",
      "              + Waiting on: gather() of 4",
      "    * Task(name='left')",
      "      + Waiting on: task bottom",
      "      + Awaited by:",
      "        * Future(gather() of 4)",
      "          + Awaited by: (shown above)",
    ]);
    const [right, left] = out.data.awaitedBy;
    expect(left!.awaitedBy[0]).toBe(right!.awaitedBy[0]); // one node for the gather, under both
    expect(out.chain[0]).toBe("* Task(name='c10000')");
    // Past 32 levels, not from the 32nd: the entry at depth 32 is indented as usual and says
    // no depth; the one at depth 33 keeps its indentation and says its depth.
    expect(out.chain.find((line) => line.endsWith("Task(name='c9968')"))).toBe(`${"    ".repeat(32)}* Task(name='c9968')`);
    expect(out.chain.find((line) => line.endsWith("Task(name='c9967')"))).toBe(`${"    ".repeat(32)}* [depth 33] Task(name='c9967')`);
    expect(out.chain.find((line) => line.endsWith("Task(name='c1')"))).toBe(`${"    ".repeat(32)}* [depth 9999] Task(name='c1')`);
    expect(out.chain.at(-2)).toBe(`${"    ".repeat(32)}* [depth 10001] Task(name='main')`);
  });

  it("defaults to the current task, whose TaskGroup parent and timeout scope show", async () => {
    const graph = await runVirtual(
      core,
      named(function* () {
        let captured: ReturnType<typeof captureCallGraph> = null;
        yield* timeout(1_000, function* () {
          yield* taskGroup(function* (tg) {
            tg.createTask(
              function* () {
                captured = captureCallGraph();
              },
              { name: "child" },
            );
          });
        });
        return captured!;
      }),
    );
    expect((graph.future as Task<unknown>).getName()).toBe("child");
    expect(graph.waitingOn).toBe("running");
    expect(graph.awaitedBy.map((g) => [(g.future as Task<unknown>).getName(), g.waitingOn])).toEqual([
      ["main", "the end of its taskGroup(), timeout at 1000 ms"],
    ]);
    expect(graph.awaitedBy[0]!.awaitedBy).toEqual([]);
  });

  it("is null (and the text empty) outside a task, and a done future has no awaiters", async () => {
    expect(captureCallGraph()).toBeNull();
    expect(formatCallGraph()).toBe("");
    const done = await runVirtual(core, function* () {
      const finished = createTask(sleep(1), { name: "finished" });
      const failed = createTask(() => until(Promise.reject(new Error("no"))), { name: "failed" });
      const cancelled = createTask(sleep(5), { name: "cancelled" });
      yield* sleep(2);
      cancelled.cancel();
      yield* wait([finished, failed, cancelled]);
      failed.exception();
      return [formatCallGraph(finished), ...[failed, cancelled].map((task) => captureCallGraph(task)!.waitingOn)];
    });
    expect(done).toEqual([["* Task(name='finished')", "  + State: finished"].join("\n"), "failed", "cancelled"]);
  });
});
