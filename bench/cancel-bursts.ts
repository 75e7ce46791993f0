/**
 * `npm run bench:bursts`: N tasks (50,000) parked on one primitive, cancelled together,
 * in the order they came and in reverse, as a task group or a gather of them is when a
 * server sheds load; and N tasks woken by N calls in a row, one waiter each. Reported: ms from the first cancel until every task has finished,
 * in virtual time, one fresh loop per row. There is no anchor: the figure to watch is
 * how it grows with N (`-- 200000` as the argument), which must stay linear.
 *
 *   npm run bench:bursts -- [N]
 */
import {
  Condition,
  type Coroutine,
  createTask,
  Event,
  gather,
  getRunningLoop,
  Lock,
  Queue,
  run,
  Semaphore,
  shield,
  sleep,
  wait,
  type Yielded,
} from "../src/index.ts";

const n = Number(process.argv[2] ?? 50_000);

interface Primitive {
  /** Makes the primitive and takes what the waiters will wait for (a Lock's one holder). */
  make(): Generator<Yielded, () => Coroutine<unknown>, unknown>;
}

const PRIMITIVES: Record<string, Primitive> = {
  "Lock.acquire()": {
    *make() {
      const lock = new Lock();
      yield* lock.acquire();
      return () => lock.acquire();
    },
  },
  "Semaphore.acquire()": {
    *make() {
      const semaphore = new Semaphore(1);
      yield* semaphore.acquire();
      return () => semaphore.acquire();
    },
  },
  "Queue.get() (empty)": {
    *make() {
      const queue = new Queue<number>();
      return () => queue.get();
    },
  },
  "Queue.put() (full)": {
    *make() {
      const queue = new Queue<number>(1);
      queue.putNowait(0);
      return () => queue.put(1);
    },
  },
  "Event.wait()": {
    *make() {
      const event = new Event();
      return () => event.wait();
    },
  },
  // Each of these waits on the same future through its own callback, which leaves when
  // the task is cancelled; the future itself is not cancelled.
  "shield(one Future)": {
    *make() {
      const future = getRunningLoop().createFuture();
      return function* () {
        return yield* shield(future);
      };
    },
  },
  "wait([one Future])": {
    *make() {
      const future = getRunningLoop().createFuture();
      return () => wait([future]);
    },
  },
  "Condition.wait()": {
    *make() {
      const condition = new Condition();
      return () => condition.with(() => condition.wait());
    },
  },
};

/** ms to cancel `n` tasks waiting on a fresh `primitive`, cancelled in `order`. */
function cancelBurst(primitive: Primitive, order: "in order" | "reverse"): Promise<number> {
  return run(
    function* () {
      const wait = yield* primitive.make();
      const tasks = Array.from({ length: n }, () => createTask(() => wait()));
      yield* sleep(1); // every task is parked now
      const started = performance.now();
      for (const task of order === "in order" ? tasks : [...tasks].reverse()) task.cancel();
      const outcomes = yield* gather(tasks, { returnExceptions: true });
      const took = performance.now() - started;
      const cancelled = outcomes.filter((o) => o instanceof Error && o.name === "CancelledError").length;
      if (cancelled !== n) throw new Error(`expected ${n} tasks to end cancelled, ${cancelled} did`);
      return took;
    },
    { clock: "virtual" },
  );
}

console.log(`\n### Cancelling ${n.toLocaleString("en-US")} tasks parked on one primitive\n`);
console.log("| primitive | in order | reverse |");
console.log("|---|---|---|");
for (const [name, primitive] of Object.entries(PRIMITIVES)) {
  const inOrder = await cancelBurst(primitive, "in order");
  const reverse = await cancelBurst(primitive, "reverse");
  console.log(`| \`${name}\` | ${inOrder.toFixed(0)} ms | ${reverse.toFixed(0)} ms |`);
}
console.log("\n_from the first cancel until every task finished (virtual clock, one run each)._");

/**
 * ms to wake `n` tasks parked on a fresh primitive by `n` calls in a row, one waiter each;
 * or, `afterCancelling` the first half, the other half by n/2 calls, in the same step as
 * the cancellations, so that the cancelled ones are still queued in front.
 */
function wakeOneByOne(park: () => Coroutine<unknown>, wakeOne: () => void, afterCancelling = false): Promise<number> {
  return run(
    function* () {
      const tasks = Array.from({ length: n }, () => createTask(park()));
      yield* sleep(1);
      const started = performance.now();
      const calls = afterCancelling ? n / 2 : n;
      if (afterCancelling) for (let i = 0; i < n / 2; i++) tasks[i]!.cancel();
      for (let i = 0; i < calls; i++) wakeOne();
      yield* gather(tasks, { returnExceptions: true });
      return performance.now() - started;
    },
    { clock: "virtual" },
  );
}

const semaphore = new Semaphore(0);
const condition = new Condition();
// The condition's lock is taken and released around each notify, as `with` would.
const notifyOne = (): void => {
  if (!condition.tryAcquire()) throw new Error("the condition's lock is held");
  condition.notify(1);
  condition.release();
};
console.log(`\n### Waking ${n.toLocaleString("en-US")} tasks one call at a time\n`);
console.log("| calls | time |");
console.log("|---|---|");
console.log(`| \`Semaphore.release()\` | ${(await wakeOneByOne(() => semaphore.acquire(), () => semaphore.release())).toFixed(0)} ms |`);
const halfCancelled = new Semaphore(0);
console.log(`| \`Semaphore.release()\`, the first half cancelled | ${(await wakeOneByOne(() => halfCancelled.acquire(), () => halfCancelled.release(), true)).toFixed(0)} ms |`);
console.log(`| \`Condition.notify(1)\` | ${(await wakeOneByOne(() => condition.with(() => condition.wait()), notifyOne)).toFixed(0)} ms |`);
console.log("\n_from the first call until every task finished (virtual clock, one run each)._");
