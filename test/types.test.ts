// What the public types accept and refuse. The probes are functions that are never
// called: `npm run typecheck` checks them (an `@ts-expect-error` that finds no error is
// an error itself), and the runtime checks beside them show the behaviour the types
// describe.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  abortable,
  aiter,
  asCompleted,
  Condition,
  Context,
  ExceptionGroup,
  ContextVar,
  type Coroutine,
  createTask,
  emit,
  forAwait,
  type Future,
  gather,
  type GatherOptions,
  getRunningLoop,
  Lock,
  type Operation,
  type Producer,
  type ProducerIterator,
  PriorityQueue,
  Queue,
  run,
  serveExecutor,
  sleep,
  staggeredRace,
  type Task,
  taskGroup,
  timeout,
  TimeoutError,
  until,
  WorkerExecutor,
  type WorkerLike,
} from "../src/index.ts";

function* num(n: number): Coroutine<number> {
  yield* sleep(1);
  return n;
}

function* str(s: string): Coroutine<string> {
  yield* sleep(1);
  return s;
}

describe("operations", () => {
  function awaitedInAsyncCode() {
    return async (queue: Queue<number>, lock: Lock) => {
      // @ts-expect-error -- TS1320: an operation is awaited with yield*
      await sleep(10);
      // @ts-expect-error -- TS1320
      await queue.put(1);
      // @ts-expect-error -- TS1320
      await queue.get();
      // @ts-expect-error -- TS1320
      await lock.acquire();
      // @ts-expect-error -- TS1320
      await timeout(10, sleep(1));
      // @ts-expect-error -- TS1320
      await taskGroup(function* () {});
    };
  }

  function usedAsCoroutines() {
    return function* (queue: Queue<number>) {
      expectTypeOf(sleep(1)).toEqualTypeOf<Operation<void>>();
      expectTypeOf(queue.get()).toEqualTypeOf<Operation<number>>();
      expectTypeOf(new Lock().with(() => num(1))).toEqualTypeOf<Operation<number>>();
      const n: number = yield* sleep(1, 5);
      const both = yield* gather([sleep(1, "a"), queue.get()]);
      expectTypeOf(both).toEqualTypeOf<[string, number]>();
      expectTypeOf(createTask(queue.get())).toEqualTypeOf<Task<number>>();
      const coroutine: Coroutine<number> = queue.get();
      // Not a PromiseLike either: until() is for promises.
      // @ts-expect-error -- an Operation is not a PromiseLike
      until(sleep(1));
      void [n, coroutine];
    };
  }

  it("an awaited operation throws, as its type says", async () => {
    await expect(Promise.resolve().then(() => sleep(1) as unknown)).rejects.toThrow(/awaited with yield\*/);
    expect(await run(function* () { return yield* sleep(1, "slept"); })).toBe("slept");
    void [awaitedInAsyncCode, usedAsCoroutines];
  });
});

describe("a missing *", () => {
  function probes() {
    function* bad() {
      yield sleep(1);
      return 1;
    }
    // @ts-expect-error -- `yield sleep(1)`: an operation is awaited with yield*
    void run(function* () { yield sleep(1); });
    // @ts-expect-error -- the same, in a coroutine given to createTask
    createTask(bad());
    // @ts-expect-error -- and to gather
    void gather([bad()]);
    // @ts-expect-error -- and in a scope's body
    void timeout(10, function* () { yield sleep(1); });
    return function* annotated(): Coroutine<number> {
      // @ts-expect-error -- reported at the yield when the coroutine is annotated
      yield sleep(10);
      // @ts-expect-error -- a Task is awaited with yield* too
      yield createTask(num(1));
      yield; // a bare yield lets the other ready tasks run
      yield* sleep(1);
      return yield* createTask(num(1));
    };
  }

  it("fails to compile (these probes are checked by tsc, which npm test runs)", () => {
    expect(typeof probes).toBe("function");
  });
});

describe("WorkerExecutor and serveExecutor", () => {
  interface Functions {
    countPrimes(below: number): number;
    hash(text: string): Promise<string>;
  }
  class Implementation {
    countPrimes(below: number): number {
      return below;
    }
  }

  function probes() {
    return (makeWorker: () => WorkerLike, functions: Functions) => {
      const pool = new WorkerExecutor<Functions>(makeWorker);
      expectTypeOf(pool.call("countPrimes", 1)).toEqualTypeOf<Future<number>>();
      expectTypeOf(pool.call("hash", "x")).toEqualTypeOf<Future<string>>();
      // @ts-expect-error -- a number is wanted
      void pool.call("countPrimes", "x");
      // @ts-expect-error -- not functions
      void new WorkerExecutor<{ x: number }>(makeWorker);
      expectTypeOf(new WorkerExecutor(makeWorker).call("anything", 1)).toEqualTypeOf<Future<unknown>>();
      serveExecutor(functions, { postMessage() {} });
      serveExecutor(new Implementation(), { postMessage() {} });
    };
  }

  it("takes an interface of functions", () => {
    expect(typeof probes()).toBe("function");
  });
});

describe("with() bodies", () => {
  function probes() {
    return function* (lock: Lock, cond: Condition) {
      // A plain function that does not wait: its value is the result.
      expectTypeOf(yield* lock.with(() => 5)).toEqualTypeOf<number>();
      expectTypeOf(yield* cond.with(() => cond.notifyAll())).toEqualTypeOf<void>();
      // One returning an operation or a Future: awaited.
      expectTypeOf(yield* lock.with(() => sleep(1, "a"))).toEqualTypeOf<string>();
      // @ts-expect-error -- a plain function returning a promise: its work would outlive the lock
      yield* lock.with(() => Promise.resolve(1));
      // @ts-expect-error -- an async function, the same
      yield* lock.with(async () => 1);
      // @ts-expect-error -- a function* that yields an operation without its *, though it returns nothing
      yield* lock.with(function* () { yield sleep(10); });
      // @ts-expect-error -- or a task
      yield* cond.with(function* () { yield createTask(num(1)); });
      // @ts-expect-error -- a body that may return a promise is refused, as one that always does
      yield* lock.with(() => (Math.random() > 0.5 ? Promise.resolve(1) : 1));
    };
  }
  it("give what the types say: the plain function's value, the operation's result", async () => {
    expect(probes).toBeTypeOf("function");
    const got = await run(function* () {
      const lock = new Lock();
      return [yield* lock.with(() => 5), yield* lock.with(() => sleep(1, "a"))];
    });
    expect(got).toEqual([5, "a"]);
  });
});

describe("scopes inside a producer", () => {
  it("emit through a lock, a timeout, a task group or abortable, typed by what they emit, without a cast", async () => {
    const lock = new Lock();
    function* scoped() {
      yield* lock.with(function* () {
        yield* emit("locked");
      });
      const deadline = yield* timeout(1_000, function* (scope) {
        yield* emit(1);
        return scope.when();
      });
      expectTypeOf(deadline).toEqualTypeOf<number>();
      yield* taskGroup(function* (tg) {
        tg.createTask(sleep(1));
        yield* emit(true);
      });
      yield* abortable(new AbortController().signal, function* () {
        yield* emit(2n);
      });
    }
    const refused = () => {
      // @ts-expect-error -- a scope whose body emits is a producer: no task runs one
      createTask(lock.with(function* () { yield* emit(1); }));
      // @ts-expect-error -- a missing * in a scope's body does not compile
      timeout(5, function* () { yield sleep(10); });
    };
    expect(refused).toBeTypeOf("function");
    const got = await run(function* () {
      const items: (string | number | boolean | bigint)[] = [];
      yield* forAwait(scoped(), (item) => {
        expectTypeOf(item).toEqualTypeOf<string | number | boolean | bigint>();
        items.push(item);
      });
      return items;
    });
    expect(got).toEqual(["locked", 1, true, 2n]);
  });

  it("a producer that emits several types gives their union, to forAwait and to aiter", async () => {
    function* mixed() {
      yield* emit(1);
      yield* sleep(1);
      yield* emit("two");
    }
    const got = await run(function* () {
      const seen: string[] = [];
      yield* forAwait(mixed(), (item) => {
        expectTypeOf(item).toEqualTypeOf<number | string>();
        seen.push(typeof item === "number" ? item.toFixed(1) : item.toUpperCase());
      });
      const items = aiter(mixed());
      expectTypeOf(items).toEqualTypeOf<ProducerIterator<number | string>>();
      const first = yield* items.next();
      yield* items.close();
      return [...seen, first.value];
    });
    expect(got).toEqual(["1.0", "TWO", 1]);
  });
});

describe("queues", () => {
  it("are invariant: a queue of strings is no queue of strings or numbers, which would let a number in", () => {
    const words = new Queue<string>();
    // @ts-expect-error -- then `wide.putNowait(5)` would put a number among the strings
    const wide: Queue<string | number> = words;
    // @ts-expect-error -- nor the other way round
    const narrow: Queue<"a"> = words;
    expect([wide, narrow]).toEqual([words, words]);
  });
});

describe("forAwait", () => {
  function probes() {
    return function* (response: Response) {
      // A DOM ReadableStream without the DOM.AsyncIterable lib: the chunk type is inferred.
      yield* forAwait(response.body!, function* (chunk) {
        expectTypeOf(chunk).toMatchTypeOf<Uint8Array>();
        yield* sleep(1);
      });
      const chunks: number[] = [];
      yield* forAwait([1, 2], (n) => chunks.push(n));
      yield* forAwait([1, 2], (n) => (n > 1 ? false : undefined));
      yield* forAwait([1, 2], function* (n) {
        if (n > 1) return false;
        yield* sleep(n);
        return true;
      });
      // asCompleted read with forAwait gives the futures: a task as it was, a coroutine's task.
      const task = createTask(sleep(1, "a"));
      yield* forAwait(asCompleted([task, sleep(2, 2)]), function* (finished) {
        expectTypeOf(finished).toEqualTypeOf<Task<string> | Task<number>>();
        expectTypeOf(yield* finished).toEqualTypeOf<string | number>();
      });
      for (const next of asCompleted([task, sleep(2, 2)])) expectTypeOf(yield* next).toEqualTypeOf<string | number>();
      // @ts-expect-error -- an async body: its work would run out of the loop's reach
      yield* forAwait([1, 2], async (n) => console.log(n));
      // @ts-expect-error -- an async generator body
      yield* forAwait([1, 2], async function* (n) { yield n; });
      // A body that starts a task and returns it is fine: a Future is no promise to wait for.
      yield* taskGroup(function* (group) {
        yield* forAwait([1, 2], (n) => group.createTask(num(n)));
      });
      // @ts-expect-error -- a body that may return a promise is refused, even beside a task
      yield* forAwait([1, 2], (n) => (n > 1 ? createTask(num(n)) : Promise.resolve(n)));
      // A producer's items have the type of what it emits; a producer is no task body.
      function* ticks(count: number) {
        for (let n = 1; n <= count; n++) {
          yield* sleep(10);
          yield* emit(n);
        }
      }
      function* labelled(): Producer<string | number> {
        yield* emit("start");
        yield* ticks(2);
      }
      yield* forAwait(ticks(3), (n) => expectTypeOf(n).toEqualTypeOf<number>());
      yield* forAwait(labelled(), function* (item) {
        expectTypeOf(item).toEqualTypeOf<string | number>();
        yield* sleep(1);
        return item !== "stop";
      });
      // A producer that maps another: forAwait with a body that emits is one, typed.
      function* doubled() {
        yield* forAwait(ticks(3), function* (n) {
          if (n % 2 === 1) yield* emit(`${n * 2}`);
        });
      }
      yield* forAwait(doubled(), (text) => expectTypeOf(text).toEqualTypeOf<string>());
      // Read item by item: typed from what it emits.
      const items = aiter(ticks(3));
      expectTypeOf(yield* items.next()).toEqualTypeOf<IteratorResult<number, undefined>>();
      yield* forAwait(items, (n) => expectTypeOf(n).toEqualTypeOf<number>());
      // A body that does not emit leaves forAwait an operation, refused by await as one.
      expectTypeOf(forAwait([1], function* () {})).toEqualTypeOf<Operation<void>>();
      // @ts-expect-error -- a producer run as a task: what it emits is no awaitable
      createTask(ticks(3));
      // @ts-expect-error -- nor awaited inside a coroutine that is run
      yield* run(function* () { yield* ticks(3); });
    };
  }

  it("takes a plain iterable of promises and Futures of different types, each item awaited", async () => {
    const got = await run(function* () {
      const seen: (string | number)[] = [];
      const promises: (Promise<string> | Promise<number>)[] = [Promise.resolve("a"), Promise.resolve(1)];
      yield* forAwait(promises, (item) => {
        expectTypeOf(item).toEqualTypeOf<string | number>();
        seen.push(item);
      });
      yield* forAwait([Promise.resolve("b"), 2, createTask(num(3))], (item) => {
        expectTypeOf(item).toEqualTypeOf<string | number>();
        seen.push(item);
      });
      return seen;
    });
    expect(got).toEqual(["a", 1, "b", 2, 3]);
  });

  it("types a plain generator's items as what it yields, leaving out the Futures and bare yields it awaits", async () => {
    const got = await run(function* () {
      const loop = getRunningLoop();
      const reply = loop.createFuture<number>();
      loop.callSoon(() => reply.setResult(7));
      function* mixed() {
        yield "a";
        yield reply; // awaited, as a coroutine awaits it: not an item
        yield;
        yield Promise.resolve(2);
      }
      function* onlyFutures() {
        yield reply;
      }
      const seen: (string | number)[] = [];
      yield* forAwait(mixed(), (item) => {
        expectTypeOf(item).toEqualTypeOf<string | number>();
        seen.push(item);
      });
      yield* forAwait(onlyFutures(), (item) => {
        expectTypeOf(item).toEqualTypeOf<never>();
        seen.push(item);
      });
      return seen;
    });
    expect(got).toEqual(["a", 2]);
  });

  it("reads a ReadableStream typed by its chunks, and refuses an async body", async () => {
    const stream = new ReadableStream<string>({
      start(controller) {
        controller.enqueue("a");
        controller.enqueue("b");
        controller.close();
      },
    });
    const got = await run(function* () {
      const seen: string[] = [];
      yield* forAwait(stream, (chunk) => {
        expectTypeOf(chunk).toEqualTypeOf<string>();
        seen.push(chunk);
      });
      return seen;
    });
    expect(got).toEqual(["a", "b"]);
    const refused = run(function* () {
      yield* forAwait([1], (async () => {}) as never);
    });
    await expect(refused).rejects.toThrow(/got an async function/);
    void probes;
  });
});

describe("gather", () => {
  function probes() {
    return function* (flag: boolean, options: GatherOptions) {
      const either = yield* gather([num(1), str("x")], { returnExceptions: flag });
      expectTypeOf(either).toEqualTypeOf<[number, string] | [number | Error, string | Error]>();
      const fromOptions = yield* gather([num(1)], options);
      expectTypeOf(fromOptions).toEqualTypeOf<[number] | [number | Error]>();
      expectTypeOf(yield* gather([num(1)])).toEqualTypeOf<[number]>();
      expectTypeOf(yield* gather([num(1)], { returnExceptions: true })).toEqualTypeOf<[number | Error]>();
    };
  }

  it("takes returnExceptions as a boolean known at run time", async () => {
    const flag = Math.random() < 2;
    const results = await run(function* () {
      return yield* gather([function* () { throw new Error("x"); }()], { returnExceptions: flag });
    });
    expect(String(results[0])).toBe("Error: x");
    void probes;
  });
});

describe("PriorityQueue", () => {
  interface Job {
    due: number;
  }

  function probes() {
    // @ts-expect-error -- objects need a compare
    void new PriorityQueue<Job>();
    // @ts-expect-error -- objects need a compare
    void new PriorityQueue<Job>({ maxsize: 3 });
    void new PriorityQueue<Job>({ compare: (a, b) => a.due - b.due });
    expectTypeOf(new PriorityQueue({ compare: (a: Job, b: Job) => a.due - b.due })).toEqualTypeOf<PriorityQueue<Job>>();
    void new PriorityQueue<number>();
    void new PriorityQueue<string>(10);
    void new PriorityQueue<bigint>({ maxsize: 1 });
    void new PriorityQueue<[number, Job]>({ maxsize: 3 });
    expectTypeOf(new PriorityQueue()).toEqualTypeOf<PriorityQueue<unknown>>();
  }

  it("objects without compare fail at run time, as the types say", () => {
    const queue = new PriorityQueue<Job>(...([] as unknown as [{ compare: (a: Job, b: Job) => number }]));
    queue.putNowait({ due: 2 });
    expect(() => queue.putNowait({ due: 1 })).toThrow(TypeError);
    void probes;
  });
});

describe("done callbacks", () => {
  it("get the future as its own type: a Task's gets the Task", async () => {
    const name = await run(function* () {
      const task = createTask(num(1), { name: "named" });
      let got = "";
      const callback = (done: Task<number>) => {
        got = done.getName();
      };
      task.addDoneCallback((done) => {
        expectTypeOf(done).toEqualTypeOf<Task<number>>();
        got = done.getName();
      });
      task.addDoneCallback(callback);
      expect(task.removeDoneCallback(callback)).toBe(1);
      yield* task;
      yield* sleep(0);
      return got;
    });
    expect(name).toBe("named");
  });
});

describe("run's main", () => {
  function probes() {
    const queue = new Queue<number>();
    // @ts-expect-error -- returns an operation where its value was meant (return yield* queue.get())
    void run(function* () {
      return queue.get();
    });
    // @ts-expect-error -- may return a Future instead of its value
    void run(function* () {
      const task = createTask(num(1));
      return task.done() ? task.result() : task;
    });
    // @ts-expect-error -- returns a coroutine of its own, unrun, where its result was meant (return yield* num(1))
    void run(function* () {
      return num(1);
    });
    void run(function* () {
      return yield* queue.get();
    });
  }

  it("returning an operation is refused at run time too", async () => {
    await expect(run(function* () {
      return sleep(1) as never;
    })).rejects.toThrow(/not a value: was a yield\* missing\?/);
    void probes;
  });

  it("returning a generator, which would run nothing, is refused at run time too", async () => {
    await expect(run(function* main() {
      return num(1) as never;
    })).rejects.toThrow(/^<Task finished name=Task-\d+> returned a generator, not a value: was a yield\* missing\?/);
  });
});

describe("Condition.waitFor", () => {
  it("returns its predicate's value without the falsy types it cannot be", async () => {
    const got = await run(function* () {
      const cond = new Condition();
      const jobs: string[] = [];
      getRunningLoop().callSoon(() => {
        jobs.push("job");
        createTask(cond.with(function* () {
          cond.notifyAll();
        }));
      });
      return yield* cond.with(function* () {
        return yield* cond.waitFor(() => jobs.shift());
      });
    });
    expectTypeOf(got).toEqualTypeOf<string>();
    expect(got).toBe("job");
  });
});

describe("context variables", () => {
  it("get with a default is typed without undefined", () => {
    const count = new ContextVar<number>("count", { default: 0 });
    const user = new ContextVar<string>("user");
    const context = new Context();
    const fromContext = context.get(count, 1);
    expectTypeOf(fromContext).toEqualTypeOf<number>();
    expectTypeOf(context.get(count)).toEqualTypeOf<number | undefined>();
    expect(fromContext).toBe(1);
    const orNull = user.get(null);
    expectTypeOf(orNull).toEqualTypeOf<string | null>();
    expectTypeOf(() => user.get()).returns.toEqualTypeOf<string>(); // not called: it has no value
    expect(orNull).toBe(null);
  });
});

describe("staggeredRace", () => {
  it("races bodies of different result types", async () => {
    const outcome = await run(function* () {
      return yield* staggeredRace(
        [
          function* () {
            yield* sleep(5);
            return 1;
          },
          function* () {
            return "one";
          },
        ],
        0,
      );
    }, { clock: "virtual" });
    expectTypeOf(outcome.result).toEqualTypeOf<number | string | undefined>();
    expect(outcome.result).toBe("one");
    // The result type can still be named.
    expectTypeOf(staggeredRace<number>([() => num(1)], 0)).toEqualTypeOf<Operation<import("../src/index.ts").StaggeredRaceResult<number>>>();
  });
});

describe("loop callbacks", () => {
  function probes() {
    const loop = getRunningLoop();
    // @ts-expect-error -- a function* would run nothing
    loop.callSoon(function* () {});
    // @ts-expect-error -- a function* would run nothing
    loop.callLater(10, function* () {});
    // @ts-expect-error -- a function* would run nothing
    loop.callAt(10, function* (n: number) { yield n; }, 1);
    // @ts-expect-error -- the arguments are checked against the callback
    loop.callSoon((n: number) => n, "x");
    loop.callSoon(async () => {});
    loop.callSoon((s: string) => console.log(s), "x");
    loop.callLater(10, () => {
      throw new Error("never");
    });
    // @ts-expect-error -- an operation returned would run nothing
    loop.callSoon(() => new Queue<number>().put(1));
    // An iterator that is not a generator (no throw) is only a value: it passes.
    loop.callSoon(() => new Map<string, number>().keys());
    const task = createTask(num(1));
    // @ts-expect-error -- a done callback that is a function* would run nothing too
    task.addDoneCallback(function* () {});
    // @ts-expect-error -- as would one that returns an operation
    task.addDoneCallback(() => sleep(1));
    task.addDoneCallback((done) => done.result() + 1);
  }

  it("an async callback still runs", async () => {
    const ran = await run(function* () {
      let ran = false;
      getRunningLoop().callSoon(async () => {
        ran = true;
      });
      yield* sleep(0);
      return ran;
    });
    expect(ran).toBe(true);
    void probes;
  });
});

// The option types with `x?: T | undefined` show no difference here, without
// exactOptionalPropertyTypes: test/package/consumer.ts checks them with it.
describe("options", () => {
  it("take an explicit undefined where the run time does", async () => {
    const result = await run(
      function* () {
        const task = createTask(num(1), { name: undefined, eager: undefined, context: undefined });
        for (const next of asCompleted([task], { timeout: undefined })) yield* next;
        const queue = new Queue<number>({ maxsize: undefined });
        return `${task.getName()} ${queue.maxsize}`;
      },
      { clock: undefined, core: undefined, autojumpThreshold: undefined, eagerTasks: undefined },
    );
    expect(result).toMatch(/^Task-\d+ 0$/);
  });
});

describe("ExceptionGroup", () => {
  it("is typed by its errors, and split by a class types the part that matched", () => {
    // Distinct in shape: TypeScript would merge two classes of the same shape into one.
    class RetryableError extends Error {
      readonly attempt = 1;
    }
    class FatalError extends Error {
      readonly code = "E_FATAL";
    }
    const group = new ExceptionGroup("requests", [new RetryableError("a"), new FatalError("b")]);
    expectTypeOf(group).toEqualTypeOf<ExceptionGroup<RetryableError | FatalError>>();
    const [retryable, rest] = group.split(RetryableError);
    expectTypeOf(retryable).toEqualTypeOf<ExceptionGroup<RetryableError> | null>();
    expectTypeOf(rest).toEqualTypeOf<ExceptionGroup<RetryableError | FatalError> | null>();
    // Nested groups stay groups, as in Python: an entry is an error or a group of them.
    const first = retryable!.exceptions[0]!;
    expectTypeOf(first).toEqualTypeOf<RetryableError | ExceptionGroup<RetryableError>>();
    expect(first instanceof ExceptionGroup ? null : first.attempt).toBe(1);
    const [byPredicate] = group.split((error) => error instanceof FatalError);
    expectTypeOf(byPredicate).toEqualTypeOf<ExceptionGroup<RetryableError | FatalError> | null>();
    expectTypeOf(group.subgroup(FatalError)).toEqualTypeOf<ExceptionGroup<FatalError> | null>();
    expect(rest!.exceptions.map((error) => (error instanceof FatalError ? error.code : null))).toEqual(["E_FATAL"]);
  });

  it("caught as unknown, is narrowed by instanceof and split as before", () => {
    const caught: unknown = new ExceptionGroup("m", [new RangeError("r"), "a string"]);
    if (!(caught instanceof ExceptionGroup)) throw new Error("not a group");
    const [ranges, others] = caught.split(RangeError);
    expectTypeOf(ranges).toEqualTypeOf<ExceptionGroup<RangeError> | null>();
    expect([ranges?.exceptions.length, others?.exceptions]).toEqual([1, ["a string"]]);
    // Its errors are unknown until looked at, not any; a subclass narrows to itself.
    expectTypeOf(caught).toEqualTypeOf<ExceptionGroup<unknown>>();
    class Timeouts extends ExceptionGroup<TimeoutError> {}
    const mine: unknown = new Timeouts("slow", [new TimeoutError("a")]);
    if (mine instanceof Timeouts) expectTypeOf(mine.exceptions).toEqualTypeOf<readonly (TimeoutError | ExceptionGroup<TimeoutError>)[]>();
    expect([mine instanceof Timeouts, mine instanceof ExceptionGroup, caught instanceof Timeouts, {} instanceof ExceptionGroup]).toEqual([true, true, false, false]);
  });
});
