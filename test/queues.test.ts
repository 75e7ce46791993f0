// Queues: FIFO, LIFO and priority order, maxsize, taskDone/join, 3.13's shutdown and
// cancellation of waiters (including SEMANTICS.md items 13 and 14), after CPython's
// test_queues.py. Every suite runs on both scheduler cores, in virtual time.
import fc from "fast-check";
import { expect, it } from "vitest";
import { CancelledError, createTask, getRunningLoop, run, RuntimeError, sleep, type Task, type Yielded } from "../src/index.ts";
import { QueueEmpty, QueueFull, QueueShutDown, ValueError } from "../src/errors.ts";
import { LifoQueue } from "../src/lifo-queue.ts";
import { naturalOrder, PriorityQueue } from "../src/priority-queue.ts";
import { Queue } from "../src/queue.ts";
import { forEachCore, now, runVirtual, xorshift32 } from "./helpers.ts";

/** Awaits `body` (a coroutine or a task) and returns its result, or the name of the error it threw. */
function* resultOrErrorName<T>(body: Iterable<Yielded, T, unknown>): Generator<Yielded, T | string, unknown> {
  try {
    return yield* body;
  } catch (error) {
    return (error as Error).name;
  }
}

/** The name of the error `f` throws, or "no error". */
function errorName(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).name;
  }
  return "no error";
}

/** Takes every item out without waiting. */
function drain<T>(queue: Queue<T>): T[] {
  const items: T[] = [];
  while (!queue.empty()) items.push(queue.getNowait());
  return items;
}

forEachCore("Queue basics", (core) => {
  it("hands items out first in, first out, waiting or not", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      for (const n of [3, 1, 2]) yield* queue.put(n);
      const first = yield* queue.get();
      queue.putNowait(4);
      return [first, queue.getNowait(), yield* queue.get(), yield* queue.get(), now()];
    });
    expect(out).toEqual([3, 1, 2, 4, 0]);
  });

  it("a get left by return() while it waits takes nothing and leaves no getter behind (a generator's finally)", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const get = queue.get();
      const parked = get.next(); // waits: yields its getter future
      const left = get.return!(undefined as never);
      const afterLeaving = String(queue); // no getter left behind
      queue.putNowait(7);
      return [parked.done, left.done, afterLeaving, yield* queue.get()];
    });
    expect(out).toEqual([false, true, "<Queue maxsize=0 qsize=0>", 7]);
  });

  it("a put left by return() while it waits puts nothing and leaves no putter behind", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const put = queue.put(2)[Symbol.iterator]();
      const parked = put.next(); // the queue is full: waits, yielding its putter future
      const waiting = String(queue);
      const left = put.return!(undefined);
      const afterLeaving = String(queue);
      return [parked.done, left.done, waiting, afterLeaving, queue.getNowait(), queue.empty()];
    });
    expect(out).toEqual([false, true, "<Queue maxsize=1 qsize=1 putters=1 tasks=1>", "<Queue maxsize=1 qsize=1 tasks=1>", 1, true]);
  });

  it("keeps FIFO order through the ring buffer's growth, wrap-around and shrinking", () => {
    const queue = new Queue<number>();
    const model: number[] = [];
    const random = xorshift32(7);
    const taken: number[] = [];
    const expected: number[] = [];
    let next = 0;
    // Bursts of puts and gets of random length, including a 3000-item burst that makes
    // the buffer grow, then shrink as it drains.
    for (let round = 0; round < 400; round++) {
      const puts = round === 200 ? 3000 : random() % 40;
      for (let i = 0; i < puts; i++) {
        queue.putNowait(next);
        model.push(next++);
      }
      const gets = round === 250 ? model.length : random() % 40;
      for (let i = 0; i < gets && model.length > 0; i++) {
        taken.push(queue.getNowait());
        expected.push(model.shift()!);
      }
      expect(queue.qsize()).toBe(model.length);
    }
    expect(taken).toEqual(expected);
    expect(drain(queue)).toEqual(model);
  });

  it("LifoQueue hands out the newest item first", async () => {
    const out = await runVirtual(core, function* () {
      const stack = new LifoQueue<string>();
      for (const s of ["a", "b", "c"]) yield* stack.put(s);
      const top = yield* stack.get();
      stack.putNowait("d");
      return [top, ...drain(stack)];
    });
    expect(out).toEqual(["c", "d", "b", "a"]);
  });

  it("qsize, empty, full and maxsize follow the contents; maxsize 0 or less means no limit", () => {
    const queue = new Queue<number>({ maxsize: 2 });
    expect([queue.maxsize, queue.qsize(), queue.empty(), queue.full()]).toEqual([2, 0, true, false]);
    queue.putNowait(1);
    expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([1, false, false]);
    queue.putNowait(2);
    expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([2, false, true]);
    expect(new Queue(5).maxsize).toBe(5);
    for (const unbounded of [new Queue<number>(), new Queue<number>(0), new Queue<number>({ maxsize: -1 })]) {
      for (let i = 0; i < 1000; i++) unbounded.putNowait(i);
      expect(unbounded.full()).toBe(false);
      expect(unbounded.qsize()).toBe(1000);
    }
  });

  it("putNowait on a full queue throws QueueFull; getNowait on an empty one throws QueueEmpty", () => {
    const queue = new Queue<string>(1);
    expect(errorName(() => queue.getNowait())).toBe("QueueEmpty");
    expect(() => queue.getNowait()).toThrow(QueueEmpty);
    queue.putNowait("a");
    expect(() => queue.putNowait("b")).toThrow(QueueFull);
    expect(drain(queue)).toEqual(["a"]); // the refused item was not stored
  });

  it("a full queue makes put() wait until a get frees a slot, at the exact times", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>({ maxsize: 2 });
      const log: string[] = [];
      const producer = createTask(function* () {
        for (let i = 0; i < 5; i++) {
          yield* queue.put(i);
          log.push(`put ${i} at ${now()}`);
        }
      });
      for (let i = 0; i < 5; i++) {
        yield* sleep(10);
        log.push(`got ${yield* queue.get()} at ${now()}`);
      }
      yield* producer;
      return log;
    });
    expect(out).toEqual([
      "put 0 at 0",
      "put 1 at 0",
      "got 0 at 10",
      "put 2 at 10",
      "got 1 at 20",
      "put 3 at 20",
      "got 2 at 30",
      "put 4 at 30",
      "got 3 at 40",
      "got 4 at 50",
    ]);
  });

  it("an empty queue makes get() wait; waiting getters are served in arrival order", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const getter = (delay: number, name: string): Task<string> =>
        createTask(function* () {
          yield* sleep(delay);
          const item = yield* queue.get();
          return `${name} got ${item} at ${now()}`;
        });
      // Arrival order c, a, b, whatever the creation order.
      const a = getter(2, "a");
      const b = getter(3, "b");
      const c = getter(1, "c");
      for (const [at, item] of [[10, "x"], [20, "y"], [30, "z"]] as const) {
        yield* sleep(at - now());
        yield* queue.put(item);
      }
      return [yield* c, yield* a, yield* b];
    });
    expect(out).toEqual(["c got x at 10", "a got y at 20", "b got z at 30"]);
  });

  it("one item wakes one waiting getter, and one free slot one waiting putter", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(1);
      const getters = [createTask(queue.get()), createTask(queue.get())];
      yield* sleep(0);
      queue.putNowait(1);
      const afterPut = String(queue); // the second getter is still queued, not woken
      yield* getters[0]!;
      queue.putNowait(2);
      yield* getters[1]!; // fed by a second put
      queue.putNowait(3); // now the queue is full
      const putters = [createTask(queue.put(4)), createTask(queue.put(5))];
      yield* sleep(0);
      queue.getNowait();
      const afterGet = String(queue); // the second putter is still queued, not woken
      yield* putters[0]!;
      const fourth = queue.getNowait(); // frees the slot for the second putter
      yield* putters[1]!;
      return [afterPut, afterGet, fourth, drain(queue)];
    });
    expect(out).toEqual(["<Queue maxsize=1 qsize=1 getters=1 tasks=1>", "<Queue maxsize=1 qsize=0 putters=1 tasks=3>", 4, [5]]);
  });

  it("putters waiting on a full queue put in arrival order, each woken once, by one free slot", async () => {
    // A woken putter that passed its wake-up on as well would send the next putter round
    // again, behind the one after it: P1 P3 P2.
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(1);
      queue.putNowait("first");
      for (const name of ["P1", "P2", "P3"]) createTask(queue.put(name));
      yield* sleep(1);
      const got: string[] = [];
      for (let i = 0; i < 4; i++) {
        got.push(yield* queue.get());
        yield* sleep(1);
      }
      return got;
    });
    expect(out).toEqual(["first", "P1", "P2", "P3"]);
  });

  it("a putter cancelled after a get woke it, when the slot was filled meanwhile, passes on no wake-up: the others keep their places", async () => {
    // A spurious wake-up would send P2 round again, behind P3.
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(1);
      queue.putNowait("first");
      const putters = ["P1", "P2", "P3"].map((name) => createTask(queue.put(name)));
      yield* sleep(1);
      queue.getNowait(); // wakes P1...
      queue.putNowait("filler"); // ...the slot is filled before it runs...
      putters[0]!.cancel(); // ...and P1 leaves: there is no free slot to pass on
      yield* sleep(1);
      const got: string[] = [];
      for (let i = 0; i < 3; i++) {
        got.push(queue.getNowait());
        yield* sleep(1);
      }
      return [yield* resultOrErrorName(putters[0]!), got];
    });
    expect(out).toEqual(["CancelledError", ["filler", "P2", "P3"]]);
  });

  it("a getter that leaves, cancelled, passes on no wake-up it did not get: the others keep their places", async () => {
    // A spurious wake-up would send the getter it woke to the back of the line.
    const out = await runVirtual(core, function* () {
      const served = function* (act: (queue: Queue<string>, getters: Task<void>[]) => void) {
        const queue = new Queue<string>();
        const got: string[] = [];
        const getters = ["G1", "G2", "G3", "G4"].map((name) =>
          createTask(function* () {
            got.push(`${name}:${yield* queue.get()}`);
          }),
        );
        yield* sleep(1);
        act(queue, getters);
        yield* sleep(1);
        for (const item of ["B", "C", "D"]) {
          queue.putNowait(item);
          yield* sleep(1);
        }
        for (const getter of getters) getter.cancel();
        return got;
      };
      return [
        // G2 is cancelled while it waits, and G1 woken for A: G2 has no wake-up to pass on.
        yield* served((queue, getters) => {
          getters[1]!.cancel();
          queue.putNowait("A");
        }),
        // G1 is woken for A, which getNowait takes; G1 is cancelled: the queue is empty.
        yield* served((queue, getters) => {
          queue.putNowait("A");
          queue.getNowait();
          getters[0]!.cancel();
        }),
      ];
    });
    expect(out).toEqual([
      ["G1:A", "G3:B", "G4:C"],
      ["G2:B", "G3:C", "G4:D"],
    ]);
  });

  it("a woken getter whose item was taken first by getNowait waits again", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const getter = createTask(function* () {
        const item = yield* queue.get();
        return `got ${item} at ${now()}`;
      });
      yield* sleep(0); // the getter waits
      queue.putNowait(1); // wakes the getter...
      const stolen = queue.getNowait(); // ...but the item is gone before it runs
      yield* sleep(10);
      queue.putNowait(2);
      return [stolen, yield* getter];
    });
    expect(out).toEqual([1, "got 2 at 10"]);
  });

  it("a woken putter whose free slot was filled first by putNowait waits again", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putter = createTask(function* () {
        yield* queue.put(3);
        return `put 3 at ${now()}`;
      });
      yield* sleep(0); // the putter waits
      const first = queue.getNowait(); // wakes the putter...
      queue.putNowait(2); // ...but the slot is filled before it runs
      yield* sleep(10);
      const second = queue.getNowait();
      return [first, second, yield* resultOrErrorName(putter), drain(queue)];
    });
    expect(out).toEqual([1, 2, "put 3 at 10", [3]]);
  });

  it("get() and put() are coroutines a task can run", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(1);
      const getting: Task<number> = createTask(queue.get());
      yield* sleep(5);
      const putting: Task<void> = createTask(queue.put(42));
      return [yield* getting, now(), yield* putting];
    });
    expect(out).toEqual([42, 5, undefined]);
  });

  it("a put puts when it is awaited, not when put() is called (asyncio's coroutine runs only then)", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(3);
      const got: number[] = [];
      const getter = createTask(function* () {
        got.push(yield* queue.get());
      });
      yield* sleep(0); // the getter waits
      const putOne = createTask(queue.put(1)); // runs at its first step, after this one
      queue.putNowait(2);
      yield* putOne;
      yield* getter;
      const cancelledFirst = createTask(queue.put(3));
      cancelledFirst.cancel(); // before it ever ran: it puts nothing
      yield* sleep(0);
      queue.put(4); // never awaited: puts nothing either
      return [got, drain(queue), cancelledFirst.cancelled()];
    });
    // CPython 3.13: getter got 2, left [1]; the cancelled and the unawaited put nothing.
    expect(out).toEqual([[2], [1], true]);
  });

  it("toString shows the limit, size, waiters, unfinished items and shutdown", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>(3);
      const texts = [String(queue)];
      const getter = createTask(queue.get());
      yield* sleep(0);
      texts.push(String(queue));
      queue.putNowait(1);
      queue.putNowait(2);
      yield* getter;
      queue.shutdown();
      texts.push(String(queue), String(new PriorityQueue()), String(new LifoQueue(2)));
      return texts;
    });
    expect(out).toEqual([
      "<Queue maxsize=3 qsize=0>",
      "<Queue maxsize=3 qsize=0 getters=1>",
      "<Queue maxsize=3 qsize=1 tasks=2 shutdown>",
      "<PriorityQueue maxsize=0 qsize=0>",
      "<LifoQueue maxsize=2 qsize=0>",
    ]);
  });
});

forEachCore("PriorityQueue", (core) => {
  it("hands out numbers smallest first, for a few and for many", () => {
    const queue = new PriorityQueue<number>();
    for (const n of [5, 1, 4, 1, 3, 9, 2, 6]) queue.putNowait(n);
    expect(drain(queue)).toEqual([1, 1, 2, 3, 4, 5, 6, 9]);

    const random = xorshift32(42);
    const numbers: number[] = [];
    const taken: number[] = [];
    // Interleaved puts and gets check the heap in every shape, not just a full build.
    for (let i = 0; i < 2000; i++) {
      const n = random() % 1000;
      numbers.push(n);
      queue.putNowait(n);
      if (i % 3 === 2) taken.push(queue.getNowait());
    }
    taken.push(...drain(queue));
    expect(taken.length).toBe(2000);
    // Whatever was taken early, what remained came out sorted, and nothing was lost.
    const rest = taken.slice(666);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect([...taken].sort((a, b) => a - b)).toEqual(numbers.sort((a, b) => a - b));
  });

  it("hands out tied items in the order asyncio's PriorityQueue (heapq) does", () => {
    // Recorded from CPython 3.13: heapq.heappush/heappop of items ordered by priority
    // alone. A number is a put of the next id with that priority; -1 is a get.
    // prettier-ignore
    const ops = [3, 1, -1, -1, 1, -1, 0, 2, 0, -1, -1, -1, 1, 3, 1, 3, 1, 3, -1, 2, -1, 1, -1, -1, 1, -1, 0, 2, 0, -1, 3, -1, 2, -1, 1, -1, 0, -1, 3, 1, -1, 0, -1, 3, 1, -1, 0, 2, 0, 2, 0, 2, -1, 1, -1, -1, 1, 3, -1, -1, 3, 1, 3, 1, 3, -1, 2, 0, -1, -1, 0, 2, -1, -1, -1, 3, 1, 3, 1, 3, 1, 3, -1, 2, 0, 2, -1, -1, 2, -1, 1, 3, 1, 3, 1, 3, 1, -1, -1, 1, 3, -1, 2, 0, 2, 0, 2, 0, 2, 0, -1, -1, 0, -1, 3, 1, 3, 1, 3, 1];
    // prettier-ignore
    const fromPython = [1, 0, 2, 3, 5, 4, 6, 8, 10, 13, 14, 15, 17, 16, 20, 21, 23, 24, 26, 27, 31, 29, 33, 34, 37, 42, 39, 43, 30, 41, 46, 53, 48, 50, 56, 58, 62, 66, 68, 70, 72, 73, 60, 63, 79, 75, 77, 65, 67, 19, 69, 55, 52, 32, 71, 12, 44, 54, 28, 78, 47, 64, 45, 74, 22, 57, 51, 11, 18, 59, 36, 38, 35, 9, 7, 25, 61, 49, 40, 76];
    const queue = new PriorityQueue<{ priority: number; id: number }>({ compare: (a, b) => a.priority - b.priority });
    const taken: number[] = [];
    let id = 0;
    for (const op of ops) {
      if (op === -1) taken.push(queue.getNowait().id);
      else queue.putNowait({ priority: op, id: id++ });
    }
    while (!queue.empty()) taken.push(queue.getNowait().id);
    expect(taken).toEqual(fromPython);
  });

  it("orders strings, and arrays lexicographically like Python tuples", () => {
    const words = new PriorityQueue<string>();
    for (const w of ["pear", "apple", "fig", "Zebra"]) words.putNowait(w);
    expect(drain(words)).toEqual(["Zebra", "apple", "fig", "pear"]);
    // By code point, as Python's: U+1F600 (a surrogate pair in UTF-16) after U+FF01,
    // and a prefix first. sorted(["\uff01", "\U0001F600", "a", "\U0001F600x", "\ue000"])
    const unicode = new PriorityQueue<string>();
    for (const w of ["\uff01", "\u{1F600}", "a", "\u{1F600}x", "\ue000", "\u{1F5FF}"]) unicode.putNowait(w);
    expect(drain(unicode)).toEqual(["a", "\ue000", "\uff01", "\u{1F5FF}", "\u{1F600}", "\u{1F600}x"]);
    // Low surrogates at both ends of their range: U+1F3FB and U+1F3FF (skin tones) end
    // in \udffb and \udfff. sorted(["\U0001F3FF", "\U0001F400", "\U0001F3FB"])
    const tones = new PriorityQueue<string>();
    for (const w of ["\u{1F3FF}", "\u{1F400}", "\u{1F3FB}"]) tones.putNowait(w);
    expect(drain(tones)).toEqual(["\u{1F3FB}", "\u{1F3FF}", "\u{1F400}"]);

    const entries = new PriorityQueue<(number | string)[]>();
    for (const e of [[2, "b"], [1, "z"], [2, "a"], [1], [10n as unknown as number, "big"]]) entries.putNowait(e);
    expect(drain(entries)).toEqual([[1], [1, "z"], [2, "a"], [2, "b"], [10n, "big"]]);
  });

  it("orders a lone surrogate, which a Python str may hold too, as the code point it is", () => {
    // sorted(["\udfff", "\ue000", "\ud800", "\U0001F600", "\ud83dA"]) on CPython 3.13
    const lone = new PriorityQueue<string>();
    for (const w of ["\udfff", "\ue000", "\ud800", "\u{1F600}", "\ud83dA"]) lone.putNowait(w);
    expect(drain(lone)).toEqual(["\ud800", "\ud83dA", "\udfff", "\ue000", "\u{1F600}"]);
    // Any strings of these units, paired or not, in the order of their code points as
    // JavaScript's string iterator reads them (a pair as one, a lone surrogate as itself).
    const units = fc.constantFrom("a", "\ud7ff", "\ud800", "\ud83d", "\udbff", "\udc00", "\ude00", "\udfff", "\ue000", "\uffff");
    const text = fc.array(units, { maxLength: 6 }).map((parts) => parts.join(""));
    const byCodePoints = (a: string, b: string): number => {
      const [x, y] = [Array.from(a, (c) => c.codePointAt(0)!), Array.from(b, (c) => c.codePointAt(0)!)];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    fc.assert(fc.property(text, text, (a, b) => Math.sign(naturalOrder(a, b)) === Math.sign(byCodePoints(a, b))), { numRuns: 2_000 });
  });

  it("naturalOrder ties a value with itself and refuses what Python's < refuses", () => {
    const job = { name: "job" };
    expect(naturalOrder([1, job], [1, job])).toBe(0); // compared by identity, like Python
    expect(naturalOrder([1, job], [2, job])).toBeLessThan(0);
    expect(errorName(() => naturalOrder(1, "1"))).toBe("TypeError");
    expect(errorName(() => naturalOrder([1, job], [1, { name: "other" }]))).toBe("TypeError");
    // NaN is refused on either side, not tied with everything (which would scramble the heap).
    expect(() => naturalOrder(Number.NaN, 1)).toThrow("PriorityQueue cannot order NaN");
    expect(() => naturalOrder([0, 1], [0, Number.NaN])).toThrow("PriorityQueue cannot order NaN");
  });

  it("orders booleans as Python does, where False and True are the ints 0 and 1", () => {
    // sorted([(1, True, "a"), (1, False, "b"), (0, True, "c"), (1, 2, "d"), (1, 0.5, "e")])
    const entries = new PriorityQueue<[number, boolean | number, string]>();
    for (const e of [[1, true, "a"], [1, false, "b"], [0, true, "c"], [1, 2, "d"], [1, 0.5, "e"]] as const) {
      entries.putNowait([...e]);
    }
    expect(drain(entries).map((e) => e[2])).toEqual(["c", "b", "e", "a", "d"]);
    expect(naturalOrder(false, true)).toBeLessThan(0);
    expect(naturalOrder(true, 1n)).toBe(0); // True == 1 in Python
    expect(errorName(() => naturalOrder(true, "1"))).toBe("TypeError");
  });

  it("an item the order cannot compare is refused with TypeError and the queue is unchanged", () => {
    const queue = new PriorityQueue<unknown>();
    for (const n of [3, 1, 2]) queue.putNowait(n);
    expect(() => queue.putNowait("x")).toThrow(/cannot order the string "x" and number/);
    expect(() => queue.putNowait({})).toThrow(TypeError);
    expect(queue.qsize()).toBe(3);
    expect(String(queue)).toBe("<PriorityQueue maxsize=0 qsize=3 tasks=3>");
    expect(drain(queue)).toEqual([1, 2, 3]);
  });

  it("a waiting put whose item is refused passes the free slot on to the next putter", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new PriorityQueue<[number, unknown]>(2);
      queue.putNowait([1, "a"]);
      queue.putNowait([2, "b"]);
      const refused = createTask(queue.put([2, {}])); // ties with [2, "b"]: an object and a string
      const next = createTask(queue.put([3, "c"]));
      yield* sleep(0);
      queue.getNowait(); // frees a slot, for the first putter
      yield* sleep(1);
      return [String(refused.exception()).split(":")[0], next.done(), queue.qsize()];
    });
    expect(out).toEqual(["TypeError", true, 2]);
  });

  it("an item refused while getters wait wakes none of them: they keep their places", async () => {
    // A getter woken for the refused item would find nothing and wait again, last.
    const out = await runVirtual(core, function* () {
      const queue = new PriorityQueue<unknown>();
      const got: string[] = [];
      for (const name of ["G1", "G2", "G3"]) {
        createTask(function* () {
          got.push(`${name}:${String(yield* queue.get())}`);
        });
      }
      yield* sleep(1);
      queue.putNowait(1); // wakes G1
      const refused = errorName(() => queue.putNowait("x")); // a string and a number: refused
      yield* sleep(1);
      queue.putNowait(2);
      yield* sleep(1);
      queue.putNowait(3);
      yield* sleep(1);
      return [refused, got];
    });
    expect(out).toEqual(["TypeError", ["G1:1", "G2:2", "G3:3"]]);
  });

  it("a waiting get whose take fails (a compare that throws) loses that item, as heapq does, and the other getters go on", async () => {
    const out = await runVirtual(core, function* () {
      let failOnce = false;
      const queue = new PriorityQueue<number>({
        compare: (a, b) => {
          if (failOnce) {
            failOnce = false;
            throw new ValueError("flaky compare");
          }
          return a - b;
        },
      });
      const getters = [1, 2, 3, 4].map(() => createTask(queue.get()));
      yield* sleep(0);
      for (const n of [1, 2, 3]) queue.putNowait(n); // wakes the first three
      failOnce = true; // the first one's take fails
      yield* sleep(1);
      const outcomes = getters.map((getter) => (!getter.done() ? "waiting" : getter.exception() ? "ValueError" : getter.result()));
      return [...outcomes, queue.qsize()];
    });
    expect(out).toEqual(["ValueError", 2, 3, "waiting", 0]);
  });

  it("a getNowait whose take fails (a compare that throws) still frees the slot it took for a waiting putter", async () => {
    const out = await runVirtual(core, function* () {
      let failOnce = false;
      const queue = new PriorityQueue<number>({
        maxsize: 3,
        compare: (a, b) => {
          if (failOnce) {
            failOnce = false;
            throw new ValueError("flaky compare");
          }
          return a - b;
        },
      });
      for (const n of [1, 2, 3]) queue.putNowait(n);
      const putter = createTask(queue.put(4));
      yield* sleep(1); // the putter waits on the full queue
      failOnce = true;
      const failed = errorName(() => queue.getNowait()); // loses 1, as heapq's heappop does
      const size = queue.qsize();
      yield* sleep(1);
      const putterDone = putter.done();
      putter.cancel();
      return [failed, size, putterDone, drain(queue).sort()];
    });
    expect(out).toEqual(["ValueError", 2, true, [2, 3, 4]]);
  });

  it("a get whose reordering cannot compare two items fails, and the queue goes on as heapq's does (CPython 3.13)", () => {
    // The top is taken, and the last item is left where the failed comparison left it:
    // CPython's heappop gives the same error, then (1, A) and (1, B). Left as it was, every
    // later get would fail on the same comparison.
    const queue = new PriorityQueue<[number, unknown]>();
    const [a, b] = [{ name: "A" }, { name: "B" }];
    queue.putNowait([0, "x"]);
    queue.putNowait([1, a]); // each compared only with [0, "x"]
    queue.putNowait([1, b]);
    expect(errorName(() => queue.getNowait())).toBe("TypeError");
    expect(queue.getNowait()).toEqual([1, a]);
    expect(queue.getNowait()).toEqual([1, b]);
    expect(queue.empty()).toBe(true);
  });

  it("a compare function sets the order", () => {
    const largestFirst = new PriorityQueue<number>({ compare: (a, b) => b - a });
    for (const n of [2, 7, 1, 8]) largestFirst.putNowait(n);
    expect(drain(largestFirst)).toEqual([8, 7, 2, 1]);

    const byDue = new PriorityQueue<{ due: number; name: string }>({ maxsize: 3, compare: (a, b) => a.due - b.due });
    byDue.putNowait({ due: 30, name: "c" });
    byDue.putNowait({ due: 10, name: "a" });
    byDue.putNowait({ due: 20, name: "b" });
    expect(byDue.full()).toBe(true);
    expect(drain(byDue).map((j) => j.name)).toEqual(["a", "b", "c"]);
  });

  it("[priority, seq, item] entries come out first in, first out among equal priorities", () => {
    const queue = new PriorityQueue<[number, number, string]>();
    let seq = 0;
    for (const [priority, name] of [[2, "w"], [1, "x"], [2, "y"], [1, "z"], [2, "v"]] as const) {
      queue.putNowait([priority, seq++, name]);
    }
    expect(drain(queue).map(([, , name]) => name)).toEqual(["x", "z", "w", "y", "v"]);
  });

  it("SEMANTICS 13: a getter woken by put(3) receives 1 when 1 was put in the same step", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new PriorityQueue<number>();
      const getter = createTask(queue.get());
      yield* sleep(0); // the getter waits on the empty queue
      queue.putNowait(3); // wakes the getter
      queue.putNowait(1); // before the getter runs
      return [yield* getter, drain(queue)];
    });
    expect(out).toEqual([1, [3]]);
  });

  it("SEMANTICS 13: a getter woken by put(3) receives 1 put by a callback that ran before it", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new PriorityQueue<number>();
      const getter = createTask(queue.get());
      yield* sleep(0);
      // Queued ahead of the getter's wake-up, so it runs first, after the wake-up was given.
      getRunningLoop().callSoon(() => queue.putNowait(1));
      queue.putNowait(3);
      return [yield* getter, drain(queue)];
    });
    expect(out).toEqual([1, [3]]);
  });

  it("the same holds for a LifoQueue: the woken getter takes the newest item when it runs", async () => {
    const out = await runVirtual(core, function* () {
      const stack = new LifoQueue<string>();
      const getter = createTask(stack.get());
      yield* sleep(0);
      stack.putNowait("older");
      stack.putNowait("newer");
      return [yield* getter, drain(stack)];
    });
    expect(out).toEqual(["newer", ["older"]]);
  });
});

forEachCore("Queue taskDone and join", (core) => {
  it("taskDone() called more times than items were put throws ValueError", () => {
    const queue = new Queue<number>();
    expect(() => queue.taskDone()).toThrow(ValueError);
    expect(() => queue.taskDone()).toThrow("taskDone() called too many times");
    queue.putNowait(1);
    queue.getNowait();
    queue.taskDone();
    expect(errorName(() => queue.taskDone())).toBe("ValueError");
  });

  it("join() returns at once when no item is unfinished", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      yield* queue.join();
      queue.putNowait(1);
      queue.getNowait();
      queue.taskDone();
      yield* queue.join();
      return now();
    });
    expect(out).toBe(0);
  });

  it("join() waits until every item put was taken and marked done", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const log: string[] = [];
      const worker = createTask(function* () {
        for (;;) {
          const item = yield* queue.get();
          yield* sleep(10);
          log.push(`done ${item} at ${now()}`);
          queue.taskDone();
        }
      });
      for (const n of [1, 2, 3]) queue.putNowait(n);
      const joiners = [createTask(queue.join()), createTask(queue.join())];
      yield* queue.join();
      log.push(`joined at ${now()}`);
      for (const joiner of joiners) yield* joiner;
      log.push(`others joined at ${now()}`);
      worker.cancel();
      return log;
    });
    expect(out).toEqual(["done 1 at 10", "done 2 at 20", "done 3 at 30", "joined at 30", "others joined at 30"]);
  });

  it("join() returns even if an item is put right after the count reached zero", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      const joiner = createTask(queue.join());
      yield* sleep(0);
      queue.getNowait();
      queue.taskDone(); // releases the joiner...
      queue.putNowait(2); // ...which still returns, as after asyncio's Event set() then clear()
      yield* joiner;
      return [now(), queue.qsize()];
    });
    expect(out).toEqual([0, 1]);
  });

  it("a cancelled join() leaves the other joiners waiting", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      const a = createTask(queue.join());
      const b = createTask(function* () {
        yield* queue.join();
        return now();
      });
      yield* sleep(5);
      a.cancel();
      yield* sleep(5);
      queue.getNowait();
      queue.taskDone();
      return [yield* resultOrErrorName(a), yield* b, queue._joiners.size];
    });
    expect(out).toEqual(["CancelledError", 10, 0]);
  });
});

forEachCore("Queue shutdown", (core) => {
  it("SEMANTICS 14: shutdown() wakes waiting getters with QueueShutDown; put and putNowait throw it after", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const getters = [1, 2].map((n) =>
        createTask(function* () {
          const result = yield* resultOrErrorName(queue.get());
          return `getter ${n}: ${result} at ${now()}`;
        }),
      );
      yield* sleep(5);
      queue.shutdown();
      const results = [];
      for (const getter of getters) results.push(yield* getter);
      return [
        ...results,
        errorName(() => queue.putNowait(1)),
        yield* resultOrErrorName(queue.put(1)),
        errorName(() => queue.getNowait()),
        yield* resultOrErrorName(queue.get()),
        queue.qsize(),
      ];
    });
    expect(out).toEqual([
      "getter 1: QueueShutDown at 5",
      "getter 2: QueueShutDown at 5",
      "QueueShutDown",
      "QueueShutDown",
      "QueueShutDown",
      "QueueShutDown",
      0,
    ]);
  });

  it("SEMANTICS 14: shutdown() wakes waiting putters with QueueShutDown; getters still drain the items", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(2);
      queue.putNowait("a");
      queue.putNowait("b");
      const putter = createTask(function* () {
        const result = yield* resultOrErrorName(queue.put("c"));
        return `putter: ${result ?? "put"} at ${now()}`;
      });
      yield* sleep(5);
      queue.shutdown();
      const log = [yield* putter];
      log.push(yield* queue.get(), queue.getNowait()); // the remaining items
      log.push(yield* resultOrErrorName(queue.get()), errorName(() => queue.getNowait()));
      // Not immediate: join() still waits for the two taken items to be marked done.
      const joiner = createTask(function* () {
        yield* queue.join();
        return `joined at ${now()}`;
      });
      yield* sleep(10);
      queue.taskDone();
      queue.taskDone();
      log.push(yield* joiner);
      return log;
    });
    expect(out).toEqual(["putter: QueueShutDown at 5", "a", "b", "QueueShutDown", "QueueShutDown", "joined at 15"]);
  });

  it("SEMANTICS 14: shutdown(true) empties the queue, wakes putters with QueueShutDown and settles join()", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(2);
      queue.putNowait("a");
      queue.putNowait("b");
      const putter = createTask(function* () {
        const result = yield* resultOrErrorName(queue.put("c"));
        return `putter: ${result ?? "put"} at ${now()}`;
      });
      const joiner = createTask(function* () {
        yield* queue.join();
        return `joined at ${now()}`;
      });
      yield* sleep(5);
      queue.shutdown(true);
      return [queue.qsize(), yield* putter, yield* joiner, yield* resultOrErrorName(queue.get()), errorName(() => queue.taskDone())];
    });
    // Every dropped item counted as done, so a later taskDone() is one too many.
    expect(out).toEqual([0, "putter: QueueShutDown at 5", "joined at 5", "QueueShutDown", "ValueError"]);
  });

  it("SEMANTICS 14: shutdown(true) wakes waiting getters with QueueShutDown", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const getter = createTask(function* () {
        try {
          yield* queue.get();
        } catch (error) {
          return `${error instanceof QueueShutDown ? "QueueShutDown" : String(error)} at ${now()}`;
        }
        return "got an item";
      });
      yield* sleep(7);
      queue.shutdown(true);
      return yield* getter;
    });
    expect(out).toBe("QueueShutDown at 7");
  });

  it("SEMANTICS 14: after shutdown(true), join() still waits for items taken but not yet marked done", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      for (const n of [1, 2, 3]) queue.putNowait(n);
      queue.getNowait(); // taken, not yet done
      const joiner = createTask(function* () {
        yield* queue.join();
        return `joined at ${now()}`;
      });
      yield* sleep(5);
      queue.shutdown(true); // drops 2 and 3
      yield* sleep(5);
      expect(joiner.done()).toBe(false);
      queue.taskDone();
      return yield* joiner;
    });
    expect(out).toBe("joined at 10");
  });

  it("shutdown(true) counts down no further than zero: items marked done while still queued leave join() nothing to wait for", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      queue.putNowait(1);
      queue.putNowait(2);
      queue.taskDone();
      queue.taskDone(); // both marked done while still in the queue
      queue.shutdown(true); // drops them: asyncio counts down only while the count is above 0
      const joiner = createTask(queue.join());
      yield* sleep(1);
      const joined = joiner.done();
      joiner.cancel();
      return [joined, errorName(() => queue.taskDone())];
    });
    expect(out).toEqual([true, "ValueError"]);
  });

  it("a getter woken by a put just before shutdown() still gets the item; after shutdown(true) it does not", async () => {
    const out = await runVirtual(core, function* () {
      const results: string[] = [];
      for (const immediate of [false, true]) {
        const queue = new Queue<string>();
        const getter = createTask(resultOrErrorName(queue.get()));
        yield* sleep(0);
        queue.putNowait("item"); // wakes the getter
        queue.shutdown(immediate); // before it runs
        results.push(yield* getter);
      }
      return results;
    });
    expect(out).toEqual(["item", "QueueShutDown"]);
  });

  it("shutdown works the same for PriorityQueue and LifoQueue", async () => {
    const out = await runVirtual(core, function* () {
      const results: unknown[] = [];
      for (const queue of [new PriorityQueue<number>(), new LifoQueue<number>()]) {
        for (const n of [2, 1, 3]) queue.putNowait(n);
        queue.shutdown();
        results.push(drain(queue), yield* resultOrErrorName(queue.get()));
        results.push(errorName(() => queue.putNowait(4)));
      }
      for (const dropped of [new PriorityQueue<number>(), new LifoQueue<number>()]) {
        dropped.putNowait(1);
        dropped.putNowait(2);
        dropped.shutdown(true);
        results.push(dropped.qsize(), yield* resultOrErrorName(dropped.get()));
      }
      return results;
    });
    expect(out).toEqual([
      [1, 2, 3],
      "QueueShutDown",
      "QueueShutDown",
      [3, 1, 2],
      "QueueShutDown",
      "QueueShutDown",
      0,
      "QueueShutDown",
      0,
      "QueueShutDown",
    ]);
  });

  it("shutdown() takes every waiting getter and putter out of the queue, as asyncio 3.13's popleft loop", async () => {
    const out = await runVirtual(core, function* () {
      const empty = new Queue<number>();
      const full = new Queue<number>(1);
      full.putNowait(0);
      const tasks = [
        createTask(resultOrErrorName(empty.get())),
        createTask(resultOrErrorName(empty.get())),
        createTask(resultOrErrorName(full.put(1))),
        createTask(resultOrErrorName(full.put(2))),
      ];
      yield* sleep(1);
      const before = [String(empty), String(full)];
      empty.shutdown();
      full.shutdown();
      const results: unknown[] = [];
      for (const task of tasks) results.push(yield* task);
      return [before, results, String(empty), String(full)];
    });
    expect(out).toEqual([
      ["<Queue maxsize=0 qsize=0 getters=2>", "<Queue maxsize=1 qsize=1 putters=2 tasks=1>"],
      ["QueueShutDown", "QueueShutDown", "QueueShutDown", "QueueShutDown"],
      "<Queue maxsize=0 qsize=0 shutdown>",
      "<Queue maxsize=1 qsize=1 tasks=1 shutdown>",
    ]);
  });

  it("shutdown() passes over the waiters of tasks cancelled just before it, which have not yet run to leave", async () => {
    const out = await runVirtual(core, function* () {
      const empty = new Queue<number>();
      const full = new Queue<number>(1);
      full.putNowait(0);
      const getters = [createTask(resultOrErrorName(empty.get())), createTask(resultOrErrorName(empty.get()))];
      const putters = [createTask(resultOrErrorName(full.put(1))), createTask(resultOrErrorName(full.put(2)))];
      yield* sleep(1);
      getters[0]!.cancel(); // cancels its waiter now; the task leaves the queue when it runs
      putters[0]!.cancel();
      empty.shutdown();
      full.shutdown();
      const results: unknown[] = [];
      for (const task of [...getters, ...putters]) results.push(yield* resultOrErrorName<unknown>(task));
      return [results, String(empty), String(full)];
    });
    // As CPython 3.13: the cancelled ones end cancelled, the others are shut out.
    expect(out).toEqual([
      ["CancelledError", "QueueShutDown", "CancelledError", "QueueShutDown"],
      "<Queue maxsize=0 qsize=0 shutdown>",
      "<Queue maxsize=1 qsize=1 tasks=1 shutdown>",
    ]);
  });

  it("shutdown() wakes the waiting getters before the waiting putters, as asyncio 3.13 does", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(1);
      const log: string[] = [];
      const getters = ["G1", "G2"].map((name) =>
        createTask(function* () {
          log.push(`${name}: ${yield* resultOrErrorName(queue.get())}`);
        }),
      );
      yield* sleep(1); // both getters wait on the empty queue
      getRunningLoop().callSoon(() => queue.shutdown()); // runs once this task waits in put()
      queue.putNowait("a"); // wakes G1; G2 still waits, and the queue is full
      log.push(`main: ${(yield* resultOrErrorName(queue.put("b"))) ?? "put"}`);
      for (const getter of getters) yield* getter;
      return log;
    });
    expect(out).toEqual(["G1: a", "G2: QueueShutDown", "main: QueueShutDown"]);
  });
});

forEachCore("Queue cancellation", (core) => {
  it("a getter cancelled while it waits takes nothing and leaves the queue's waiters", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const cancelled = createTask(queue.get());
      const next = createTask(function* () {
        return `${yield* queue.get()} at ${now()}`;
      });
      yield* sleep(5);
      cancelled.cancel();
      yield* sleep(0);
      const waiting = String(queue);
      yield* sleep(5);
      queue.putNowait("x");
      return [yield* resultOrErrorName(cancelled), waiting, yield* next, queue.qsize()];
    });
    expect(out).toEqual(["CancelledError", "<Queue maxsize=0 qsize=0 getters=1>", "x at 10", 0]);
  });

  it("a getter cancelled just after a put woke it leaves the item for the next getter", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const first = createTask(queue.get());
      const second = createTask(function* () {
        return `${yield* queue.get()} at ${now()}`;
      });
      yield* sleep(5);
      queue.putNowait("x"); // wakes the first getter...
      first.cancel(); // ...which is cancelled before it runs
      return [yield* resultOrErrorName(first), first.cancelled(), yield* second, queue.qsize()];
    });
    expect(out).toEqual(["CancelledError", true, "x at 5", 0]);
  });

  it("a lone getter cancelled just after a put woke it leaves the item in the queue", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const getter = createTask(queue.get());
      yield* sleep(5);
      queue.putNowait("x");
      getter.cancel();
      const result = yield* resultOrErrorName(getter);
      return [result, queue.qsize(), String(queue), yield* queue.get()];
    });
    expect(out).toEqual(["CancelledError", 1, "<Queue maxsize=0 qsize=1 tasks=1>", "x"]);
  });

  it("a putter cancelled while it waits never places its item", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(1);
      queue.putNowait("a");
      const putter = createTask(queue.put("never"));
      yield* sleep(5);
      putter.cancel();
      const result = yield* resultOrErrorName(putter);
      return [result, drain(queue), String(queue)];
    });
    expect(out).toEqual(["CancelledError", ["a"], "<Queue maxsize=1 qsize=0 tasks=1>"]);
  });

  it("a putter cancelled just after a get woke it passes the free slot to the next putter", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<string>(1);
      queue.putNowait("a");
      const first = createTask(queue.put("b"));
      const second = createTask(function* () {
        yield* queue.put("c");
        return `put c at ${now()}`;
      });
      yield* sleep(5);
      const taken = queue.getNowait(); // wakes the first putter...
      first.cancel(); // ...which is cancelled before it runs
      return [taken, yield* resultOrErrorName(first), yield* second, drain(queue)];
    });
    expect(out).toEqual(["a", "CancelledError", "put c at 5", ["c"]]);
  });

  it("cancelling the woken getter of a PriorityQueue hands the smallest item to the next getter", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new PriorityQueue<number>();
      const first = createTask(queue.get());
      const second = createTask(queue.get());
      yield* sleep(0);
      queue.putNowait(3);
      queue.putNowait(1); // wakes the second getter too
      first.cancel();
      return [yield* resultOrErrorName(first), yield* second, drain(queue)];
    });
    expect(out).toEqual(["CancelledError", 1, [3]]);
  });

  it("a cancelled getter's CancelledError reaches the task, which may catch it and go on", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const getter = createTask(function* () {
        try {
          yield* queue.get();
        } catch (error) {
          if (!(error instanceof CancelledError)) throw error;
        }
        return yield* queue.get(); // waits again, as a fresh getter
      });
      yield* sleep(1);
      getter.cancel();
      yield* sleep(1);
      queue.putNowait(9);
      return [yield* getter, now()];
    });
    expect(out).toEqual([9, 2]);
  });

  it("an item put just after the first getter is cancelled wakes the next getter at once", async () => {
    // asyncio's _wakeup_next pops done getters until it finds one still waiting.
    const got = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const got: string[] = [];
      const getters: Task<void>[] = ["G1", "G2", "G3"].map((name) =>
        createTask(function* () {
          got.push(`${name}:${yield* queue.get()} at ${now()}`);
        }),
      );
      yield* sleep(1);
      getters[0]!.cancel(); // its getter future is cancelled now, its task runs later
      queue.putNowait("A");
      yield* sleep(1);
      queue.putNowait("B");
      yield* sleep(1);
      for (const getter of getters) getter.cancel();
      return got;
    });
    expect(got).toEqual(["G2:A at 1", "G3:B at 2"]);
  });

  it("a pending get left by return() while an item waits for the getter before it wakes nobody: FIFO holds", async () => {
    const got = await runVirtual(core, function* () {
      const queue = new Queue<string>();
      const got: string[] = [];
      const getter = (name: string) =>
        createTask(function* () {
          got.push(`${name}:${yield* queue.get()}`);
        });
      const g0 = getter("G0");
      yield* sleep(1);
      const get = queue.get();
      get.next(); // parked behind G0
      const rest = [getter("G2"), getter("G3")];
      yield* sleep(1);
      queue.putNowait("x"); // wakes G0
      get.return!(undefined as never); // never woken: it has no wake-up to pass on
      yield* sleep(1);
      queue.putNowait("y");
      yield* sleep(1);
      queue.putNowait("z");
      yield* sleep(1);
      for (const task of [g0, ...rest]) task.cancel();
      return got;
    });
    expect(got).toEqual(["G0:x", "G2:y", "G3:z"]);
  });
});

forEachCore("Queue misuse", (core) => {
  it("a queue is bound to the first loop it waits on", async () => {
    const queue = new Queue<number>();
    await runVirtual(core, function* () {
      const getter = createTask(queue.get());
      yield* sleep(1);
      getter.cancel();
      yield* resultOrErrorName(getter);
    });
    const out = await run(
      function* () {
        queue.putNowait(1); // no wait: works on any loop
        queue.getNowait();
        return yield* resultOrErrorName(queue.get());
      },
      { clock: "virtual", core },
    );
    expect(out).toBe("RuntimeError");
    await expect(
      runVirtual(core, function* () {
        yield* queue.get();
      }),
    ).rejects.toThrow(new RuntimeError("Queue is bound to a different event loop (the first that waited on it): runs that share one must share a loop"));
  });

  it("a join binds only the joins to its loop, as asyncio's Event: puts and gets may wait on another", async () => {
    const queue = new Queue<string>();
    const joinedOnFirst = await runVirtual(core, function* () {
      queue.putNowait("job");
      const worker = createTask(function* () {
        yield* sleep(5);
        queue.getNowait();
        queue.taskDone();
      });
      yield* queue.join();
      yield* worker;
      return now();
    });
    expect(joinedOnFirst).toBe(5);
    // Another loop: a get that waits binds the queue there, and works.
    const got = await runVirtual(core, function* () {
      const getter = createTask(queue.get());
      yield* sleep(1);
      yield* queue.put("second");
      const item = yield* getter;
      queue.taskDone();
      return item;
    });
    expect(got).toBe("second");
    // A join that waits on that loop is refused: the joins are bound to the first.
    await expect(
      runVirtual(core, function* () {
        queue.putNowait("third");
        yield* queue.join();
      }),
    ).rejects.toThrow(new RuntimeError("Queue.join() is bound to a different event loop (the first that waited on it): runs that share one must share a loop"));
  });

  it("a bad maxsize or compare is refused with an error naming it", () => {
    expect(() => new Queue("3" as never)).toThrow("new Queue() takes a maxsize or { maxsize }, got the string \"3\"");
    expect(() => new Queue({ maxsize: "3" as never })).toThrow(TypeError);
    expect(() => new LifoQueue(null as never)).toThrow(TypeError);
    expect(() => new PriorityQueue(Number.NaN)).toThrow("new PriorityQueue(): maxsize is NaN; use 0 for no limit");
    expect(() => new PriorityQueue({ compare: "desc" as never })).toThrow(
      'new PriorityQueue(): compare must be a function, got the string "desc"',
    );
    // A null maxsize is not "no limit" by accident (asyncio's Queue(maxsize=None) fails too).
    expect(() => new Queue({ maxsize: null as never })).toThrow("new Queue(): maxsize must be a number, got null");
    // Nor is a boxed number, which has no maxsize key to read.
    expect(() => new LifoQueue(new Number(3) as never)).toThrow(
      "new LifoQueue() takes a maxsize or { maxsize }, got an object of class Number",
    );
  });

  it("a compare that answers a boolean or NaN is refused when it is used, and the queue is left as it was", () => {
    const queue = new PriorityQueue<number>({ compare: ((a: number, b: number) => a < b) as never });
    queue.putNowait(3);
    expect(() => queue.putNowait(1)).toThrow(
      "PriorityQueue: compare must return a number (negative, zero or positive), got boolean true",
    );
    expect([queue.qsize(), queue.getNowait()]).toEqual([1, 3]);
    // A NaN is a number, but no order: refused too.
    const byMissingField = new PriorityQueue<{ due?: number }>({ compare: (a, b) => a.due! - b.due! });
    byMissingField.putNowait({ due: 1 });
    expect(() => byMissingField.putNowait({})).toThrow("PriorityQueue: compare must return a number (negative, zero or positive), got number NaN");
    expect(byMissingField.qsize()).toBe(1);
  });

  it("put() on a queue shut down with room names put(), not the putNowait() it uses", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      queue.shutdown();
      try {
        yield* queue.put(1);
      } catch (error) {
        return String(error);
      }
      return "no error";
    });
    expect(out).toBe("QueueShutDown: put() on a queue that was shut down");
  });
});
