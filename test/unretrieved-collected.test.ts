// An error no one retrieves is reported when the garbage collector takes its task or
// future, as asyncio reports it from `__del__`, and the task is freed: a server whose
// fire-and-forget tasks fail does not keep them until its loop closes. Node and Bun (the
// browser run leaves this file out, see ./garbage.ts); unretrieved.test.ts has the rest.
import { expect, it, vi } from "vitest";
import { ContextVar, createTask, enableDebug, EventLoop, type ExceptionContext, getRunningLoop, sleep, until, type Yielded } from "../src/index.ts";
import { collectUntil } from "./garbage.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

const requestId = new ContextVar<string>("requestId", { default: "none" });

/** Starts tasks that set a request id and fail, each with `onDone` as a done callback if given: nothing here keeps them, but WeakRefs. */
function startFailing(count: number, refs: WeakRef<object>[], onDone?: () => void): void {
  for (let i = 0; i < count; i++) {
    const task = createTask(function* () {
      requestId.set(`req-${i}`);
      yield* sleep(1);
      throw new Error(`bad request ${i}`);
    }, { name: `handler-${i}` });
    if (onDone) task.addDoneCallback(onDone);
    refs.push(new WeakRef(task));
  }
}

/** A report as a line: message, error, what it is about, and the request id it runs with. */
function line(context: ExceptionContext): string {
  const about = context.task ? `task ${context.task.getName()}` : context.description;
  return `${context.message}: ${(context.exception as Error).message}, ${about}, ${requestId.get()}`;
}

/** Starts a task that fails, and looks at its error as `look` says. */
function* failAndLook(look: string, refs: WeakRef<object>[]): Generator<Yielded, void> {
  const task = createTask(function* () {
    yield* sleep(1);
    throw new Error(look);
  });
  refs.push(new WeakRef(task));
  if (look === "await") {
    try {
      yield* task;
    } catch {
      // seen
    }
  }
  yield* sleep(2);
  if (look === "read") task.exception();
  if (look === "cancel") task.cancel();
}

/**
 * Whether the test can count on the collector taking what nothing holds: not in Bun,
 * whose collector scans the stack conservatively and may keep any object a while.
 */
const precise = !("Bun" in globalThis);

const dead = (refs: WeakRef<object>[]): boolean => refs.every((ref) => ref.deref() === undefined);

forEachCore("errors never retrieved, once collected", (core) => {
  it("a failed task no one awaits is reported when it is collected, while the loop runs, named and in its context", async () => {
    const reports: string[] = [];
    const refs: WeakRef<object>[] = [];
    await runVirtual(core, function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(line(context)));
      startFailing(3, refs);
      yield* sleep(5);
      expect(reports).toEqual([]);
      yield* until(collectUntil(() => reports.length >= 3));
      if (precise) expect(dead(refs)).toBe(true);
      expect(reports.sort()).toEqual([0, 1, 2].map((i) =>
        `Task exception was never retrieved: bad request ${i}, <Task finished name=handler-${i} exception=Error("bad request ${i}")>, req-${i}`,
      ));
    });
    expect(reports).toHaveLength(3); // and not again when the loop closes
  });

  it("a failed task whose done callback ran without reading the error is still reported when it is collected, while the loop runs, in debug mode or not", async () => {
    // Debug mode runs a done future's callbacks itself, one by one: each way, they must be let go of once run.
    for (const debug of [false, true]) {
      const reports: string[] = [];
      const refs: WeakRef<object>[] = [];
      let callbacksRun = 0;
      await runVirtual(core, function* () {
        if (debug) enableDebug();
        getRunningLoop().setExceptionHandler((_loop, context) => reports.push(line(context)));
        startFailing(2, refs, () => void callbacksRun++); // the callbacks run, and read nothing
        yield* sleep(5);
        expect([callbacksRun, reports]).toEqual([2, []]);
        yield* until(collectUntil(() => reports.length >= 2));
        if (precise) expect(dead(refs)).toBe(true);
        expect(reports.sort()).toEqual([0, 1].map((i) =>
          `Task exception was never retrieved: bad request ${i}, <Task finished name=handler-${i} exception=Error("bad request ${i}")>, req-${i}`,
        ));
      });
      expect(reports).toHaveLength(2); // and not again when the loop closes
    }
  });

  it("a failed future no one reads is reported too; the default handler names it", async () => {
    const printed: unknown[][] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      const refs: WeakRef<object>[] = [];
      await runVirtual(core, function* () {
        const future = getRunningLoop().createFuture();
        future.setException(new Error("unread"));
        refs.push(new WeakRef(future));
      });
      // run() closed the loop while the future lived (the coroutine's frame held it):
      // reported then; collecting it later reports nothing more.
      expect(printed.map(([text]) => text)).toEqual(["wasyncio: Future exception was never retrieved\n  <Future finished exception=Error(\"unread\")>"]);
      await collectUntil(() => dead(refs));
      for (let round = 0; round < 3; round++) await collectUntil(() => false);
      expect(printed).toHaveLength(1);
      expect((printed[0]![1] as Error).message).toBe("unread");
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("a future that fails after its loop closed is reported when it is collected, and not kept until then", async () => {
    const reports: string[] = [];
    const refs: WeakRef<object>[] = [];
    const loop = new EventLoop({ clock: "virtual", core });
    loop.setExceptionHandler((_loop, context) => reports.push(line(context)));
    // Kept in an array that calling it empties: a closure held any longer would keep the future.
    const settleLate: ((error: Error) => void)[] = [];
    (() => {
      const future = loop.createFuture();
      settleLate.push((error) => future.setException(error)); // as a promise's callback would, later
      refs.push(new WeakRef(future));
    })();
    loop.close();
    expect(reports).toEqual([]); // pending when the loop closed: nothing to report yet
    settleLate.pop()!(new Error("too late"));
    await collectUntil(() => reports.length >= 1);
    if (precise) expect(dead(refs)).toBe(true);
    expect(reports).toEqual(["Future exception was never retrieved: too late, <Future finished exception=Error(\"too late\")>, none"]);
  });

  it("an error that was retrieved is never reported, collected or not", async () => {
    const reports: string[] = [];
    const refs: WeakRef<object>[] = [];
    const control: WeakRef<object>[] = [];
    await runVirtual(core, function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(line(context)));
      // Each in a coroutine of its own, which ends: a suspended one would keep its task.
      for (const look of ["await", "read", "cancel"]) yield* failAndLook(look, refs);
      startFailing(1, control);
      yield* sleep(5);
      yield* until(collectUntil(() => reports.length >= 1 && dead(refs)));
      for (let round = 0; round < 3; round++) yield* until(collectUntil(() => false));
    });
    if (precise) expect(dead(refs)).toBe(true);
    expect(reports).toEqual(["Task exception was never retrieved: bad request 0, <Task finished name=handler-0 exception=Error(\"bad request 0\")>, req-0"]);
  });

  it("the loop's close reports those still alive, and their collection later reports nothing", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(line(context)));
    const refs: WeakRef<object>[] = [];
    let kept: unknown = loop.createTask(function* () {
      requestId.set("kept");
      throw new Error("kept alive");
    }, { name: "kept" });
    await loop.runUntilComplete(sleep(1));
    loop.close();
    expect(reports).toEqual(["Task exception was never retrieved: kept alive, task kept, kept"]);
    refs.push(new WeakRef(kept as object));
    kept = undefined;
    await collectUntil(() => dead(refs));
    for (let round = 0; round < 3; round++) await collectUntil(() => false);
    if (precise) expect(dead(refs)).toBe(true);
    expect(reports).toHaveLength(1);
  });

  it("debug mode's report of a task collected while the loop runs says where it was created", async () => {
    const created: string[] = [];
    const refs: WeakRef<object>[] = [];
    await runVirtual(core, function* () {
      enableDebug();
      getRunningLoop().setExceptionHandler((_loop, context) => created.push(context.createdAt ?? "none"));
      startFailing(1, refs);
      yield* sleep(5);
      yield* until(collectUntil(() => created.length >= 1));
      expect(created).toHaveLength(1);
      expect(created[0]!.split("\n")[0]).toMatch(/startFailing.*unretrieved-collected\.test\.ts/);
    });
    expect(created).toHaveLength(1);
  });
});
