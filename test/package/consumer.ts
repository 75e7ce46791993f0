// A user's program, type-checked against the built package (dist/*.d.ts) as a user's
// project checks it: strict, Node's module resolution, and skipLibCheck off, so a
// declaration file that refers to something the build left out fails here.
import { asCompleted, createTask, ExceptionGroup, gather, Lock, Queue, run, sleep, taskGroup, timeout, TimeoutError, wait, type Task } from "wasyncio";
import core from "wasyncio/core.wasm";

function* fetchNumber(n: number) {
  yield* sleep(10);
  return n;
}

function* main() {
  const [a, b] = yield* gather([fetchNumber(1), fetchNumber(2)]);
  const sum: number = a + b;
  const queue = new Queue<string>({ maxsize: 1 });
  const lock = new Lock();
  yield* lock.with(function* () {
    yield* queue.put("job");
  });
  const job: string = yield* queue.get();
  const child: Task<number> = yield* taskGroup(function* (group) {
    return group.createTask(fetchNumber(3));
  });
  yield* timeout(100, function* () {
    yield* sleep(1);
  });
  return `${sum} ${job} ${yield* child}`;
}

const result: string = await run(main, { core });

function* forgetsItsYield() {
  return gather([fetchNumber(1)]); // `return yield* gather(...)` was meant
}
// @ts-expect-error -- run() refuses a main whose result is a Future, in types as at run time
void run(forgetsItsYield);

async function promiseCode() {
  // @ts-expect-error -- TS1320: an operation is awaited with yield* in a function*, as at run time
  await sleep(1);
}
void promiseCode;

// This project has exactOptionalPropertyTypes on: options the run time takes as
// undefined take an explicit undefined.
declare const maybeName: string | undefined;
declare const maybeMs: number | undefined;
void run(
  function* () {
    const task = createTask(fetchNumber(1), { name: maybeName });
    yield* wait([task], { timeout: maybeMs });
    for (const next of asCompleted([task], { timeout: maybeMs })) yield* next;
    const queue = new Queue<number>({ maxsize: maybeMs });
    yield* gather([task], { returnExceptions: undefined });
    return queue.maxsize;
  },
  { clock: undefined, core: undefined, autojumpThreshold: maybeMs, eagerTasks: undefined },
);
// An ExceptionGroup is an AggregateError (ES2021), which the declarations bring in for a
// project whose lib is older (tsconfig.es2020.json): it still has an Error's members.
function describeFailures(error: unknown): string {
  if (!(error instanceof ExceptionGroup)) return String(error);
  const [timeouts] = error.split(TimeoutError);
  return `${error.message}: ${timeouts?.exceptions.length ?? 0} timed out`;
}
void describeFailures;

export { result };
