// What a long-running program must not keep: checked by letting the garbage collector
// take it (Node and Bun; the browser run leaves this file out, see ./garbage.ts).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import {
  aiter,
  asCompleted,
  createTask,
  disableDebug,
  emit,
  enableDebug,
  EventLoop,
  FIRST_COMPLETED,
  forAwait,
  Future,
  getRunningLoop,
  type Handle,
  Queue,
  recordTimeline,
  shield,
  sleep,
  taskGroup,
  until,
  wait,
} from "../src/index.ts";
import { aliveAfterCollecting, collectGarbage, collectUntil } from "./garbage.ts";
import { forEachCore, messageOf, runVirtual } from "./helpers.ts";

forEachCore("retention", (core) => {
  it("a producer read with aiter() and dropped while open is not kept alive until its loop closes, whichever host job began it", async () => {
    // The loop notes it as open, to close it at the end of run(): weakly, as asyncio's
    // loop notes its async generators (strongly only until the host job that began it ends).
    function* counting() {
      for (let n = 0; ; n++) yield* emit(n);
    }
    const iterators: WeakRef<object>[] = [];
    const loop = new EventLoop({ clock: "virtual", core });
    const first = await loop.runUntilComplete(function* () {
      const first = aiter(counting());
      yield* first.next();
      // The host job that began the first one ends (a virtual sleep would not end it).
      yield* until(new Promise((resolve) => setTimeout(resolve, 0)));
      for (let i = 0; i < 200; i++) {
        const items = aiter(counting());
        yield* items.next();
        iterators.push(new WeakRef(items));
      }
      return first;
    });
    await collectUntil(() => iterators.every((iterator) => iterator.deref() === undefined));
    expect(iterators.flatMap((iterator, i) => (iterator.deref() !== undefined ? [i] : []))).toEqual([]);
    expect(String(first)).toBe("<ProducerIterator suspended>"); // kept by the program, and still open
    loop.close();
  });

  it("producers read and closed by a task that never waits are let go of at once, not when its step ends", async () => {
    // The loop notes each producer begun as open. Weakly, it held every one, closed or
    // not, until the task waited: V8 keeps a WeakRef's target for the rest of the job
    // that made it, and a task that reads producers without waiting is one job.
    function* counting() {
      for (let n = 0; ; n++) yield* emit(n);
    }
    /** A producer that holds 10 KB for as long as anything holds it. */
    const heavy = () => Object.assign(counting(), { payload: new Array(1_250).fill(0.5) });
    const heapAfterCollecting = (): number => {
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    let growth = NaN;
    await runVirtual(core, function* () {
      const before = heapAfterCollecting();
      for (let i = 0; i < 2_000; i++) {
        yield* forAwait(heavy(), () => false);
        const items = aiter(heavy());
        yield* items.next();
        yield* items.close();
      }
      growth = heapAfterCollecting() - before; // still in the same step
    });
    expect(growth).toBeLessThan(5_000_000); // it was 40 MB: 4,000 payloads of 10 KB
  });

  it("a cancelled until() on a promise that never settles lets go of its AbortController and signal", async () => {
    const never = new Promise<never>(() => {});
    const signals: WeakRef<AbortSignal>[] = [];
    await runVirtual(core, function* () {
      for (let i = 0; i < 10; i++) {
        const waiting = createTask(() =>
          until((signal) => {
            signals.push(new WeakRef(signal));
            return never;
          }),
        );
        yield* sleep(1);
        waiting.cancel();
        yield* sleep(1);
      }
    });
    // The promise keeps each future through its callbacks; the future no longer keeps
    // the controller, so the signals go.
    expect(await aliveAfterCollecting(signals)).toBe(0);
    expect(never).toBeInstanceOf(Promise); // kept alive to the end
  });

  it("a cancelled handle the program keeps does not keep its callback, nor what the callback holds", async () => {
    const callbacks: WeakRef<object>[] = [];
    const kept: Handle[] = []; // as a debouncer keeps its last timer
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      for (let i = 0; i < 4; i++) {
        const payload = new Array(1_000).fill(i);
        const callback = (): void => void payload.length;
        callbacks.push(new WeakRef(callback));
        kept.push(i % 2 === 0 ? loop.callSoon(callback) : loop.callLater(1_000, callback));
      }
      for (const handle of kept) handle.cancel();
      yield* sleep(0);
    });
    expect(await aliveAfterCollecting(callbacks)).toBe(0);
    expect(kept.map(String)).toEqual(["<Handle cancelled>", "<TimerHandle cancelled>", "<Handle cancelled>", "<TimerHandle cancelled>"]);
  });

  it("a long-lived future waited on or shielded many times keeps nothing of each wait or shield", async () => {
    // The leak of `Promise.race([stopped, work])` in a loop: each race adds a callback to
    // the promise that lives on, and that callback holds the race and all it watched.
    // A wait() or a shield() takes its callback back when it is over.
    const loop = new EventLoop({ clock: "virtual", core });
    const stopped = new Future<void>(loop);
    const watched: WeakRef<object>[] = [];
    await loop.runUntilComplete(function* () {
      for (let i = 0; i < 50; i++) {
        const work = createTask(sleep(1, i));
        watched.push(new WeakRef(work));
        yield* wait([stopped, work], { returnWhen: FIRST_COMPLETED });
        const shielded = shield(stopped);
        watched.push(new WeakRef(shielded));
        shielded.cancel();
        yield* sleep(0);
      }
    });
    expect(await aliveAfterCollecting(watched)).toBe(0);
    expect(stopped.done()).toBe(false); // kept alive, and waited on, to the end
    loop.close();
  });

  it("a long-lived future read by asCompleted() with a timeout many times keeps nothing of each read", async () => {
    // As asyncio's as_completed, the timeout takes the callbacks back from the futures
    // still running. Without that, each read kept about 3 KB on the future.
    const loop = new EventLoop({ clock: "virtual", core });
    const stopped = new Future<void>(loop);
    let growth = NaN;
    await loop.runUntilComplete(function* () {
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 2_000; i++) {
        for (const next of asCompleted([stopped], { timeout: 1 })) {
          expect(yield* messageOf(() => next)).toBe("TimeoutError: asCompleted() timed out");
        }
      }
      collectGarbage();
      growth = process.memoryUsage().heapUsed - before;
    });
    expect(growth).toBeLessThan(2_000_000); // it was 6.7 MB
    expect(stopped.done()).toBe(false);
    loop.close();
  });

  it("asCompleted() kept by the program keeps none of the futures still outstanding at its timeout", async () => {
    // As asyncio's iterator, the timeout forgets the work it gave up on: an iterator kept
    // in a long-lived object must not keep that work alive.
    const { alive, after } = await runVirtual(core, function* () {
      const futures = Array.from({ length: 5 }, () => new Future<number>(getRunningLoop()));
      const watched = futures.map((future) => new WeakRef(future));
      const reader = asCompleted(futures.splice(0), { timeout: 1 });
      yield* sleep(2);
      const alive = yield* until(aliveAfterCollecting(watched));
      return { alive, after: yield* messageOf(() => reader.next().value!) };
    });
    expect(alive).toBe(0);
    expect(after).toBe("TimeoutError: asCompleted() timed out"); // the reader was kept, and read
  });

  it("a finished task that the program keeps does not keep the tasks that finished after it", async () => {
    // The loop links its unfinished tasks in a list; a task leaving it keeps no link.
    const others: WeakRef<object>[] = [];
    let kept: unknown;
    await runVirtual(core, function* () {
      for (let i = 0; i < 20; i++) {
        const task = createTask(sleep(i, new Array(1_000).fill(i)));
        if (i === 0) kept = task;
        else others.push(new WeakRef(task));
      }
      yield* sleep(50);
    });
    expect(await aliveAfterCollecting(others)).toBe(0);
    expect(kept).toBeDefined();
  });

  it("a task that opens task groups one after another keeps none of those that ended", async () => {
    // A server's task with a group per request: the task tree's note of the groups open
    // in a task must let each go when it ends, while the task lives on.
    const alive = await runVirtual(core, function* () {
      const groups: WeakRef<object>[] = [];
      for (let i = 0; i < 20; i++) {
        yield* taskGroup(function* (tg) {
          groups.push(new WeakRef(tg));
          tg.createTask(sleep(1));
        });
      }
      return yield* until(aliveAfterCollecting(groups));
    });
    expect(alive).toBe(0);
  });

  it("a Queue keeps no item once it was taken, or dropped by shutdown(true)", async () => {
    const read = new Queue<object>();
    const dropping = new Queue<object>();
    const items: WeakRef<object>[] = [];
    const put = (queue: Queue<object>) => {
      const item = { payload: new Array(1_000).fill(items.length) };
      items.push(new WeakRef(item));
      queue.putNowait(item);
    };
    await runVirtual(core, function* () {
      for (let i = 0; i < 3; i++) put(read);
      read.getNowait();
      yield* read.get();
      for (let i = 0; i < 2; i++) put(dropping);
      dropping.shutdown(true);
    });
    const alive = () => items.map((item) => item.deref() !== undefined);
    await collectUntil(() => alive().filter(Boolean).length === 1);
    expect(alive()).toEqual([false, false, true, false, false]); // the third is still in `read`
    expect([read.qsize(), dropping.qsize()]).toEqual([1, 0]);
  });

  it("a timeline the program keeps after its stop() does not keep the tasks made after it", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const timeline = recordTimeline(loop);
    const later: WeakRef<object>[] = [];
    await loop.runUntilComplete(function* () {
      yield* sleep(1);
      timeline.stop();
      for (let i = 0; i < 20; i++) later.push(new WeakRef(createTask(sleep(1))));
      yield* sleep(5);
    });
    expect(await aliveAfterCollecting(later)).toBe(0);
    expect(timeline.end).toBe(1);
    loop.close();
  });

  it("debug mode does not keep a finished task that created one still running", async () => {
    // Debug mode keeps where each future and operation was made. As a stack not yet read,
    // that held every frame's `this`: a child's held the task that made it, done or not,
    // and so did an operation made there and handed to it (`createTask(sleep(...))`).
    const program = fileURLToPath(new URL("./fixtures/debug-retention.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));
    const bun = (globalThis as { Bun?: unknown }).Bun !== undefined;
    const args = bun ? [program, core] : ["--import", tsx, program, core];
    const { stdout } = await promisify(execFile)(process.execPath, args);
    expect(stdout.trim()).toBe("kept 0 of 5");
  }, 30_000);

  it("a loop closed in debug mode, or after it, is not kept: by the stuck-exit report's list, the first watch, or what it never awaited", async () => {
    const kept: unknown[] = []; // operations never awaited, kept: each reported, none keeping its loop
    /** A loop run in debug mode and closed, as `then` says; a weak reference to it. */
    async function closedLoop(then: string): Promise<WeakRef<EventLoop>> {
      const loop = new EventLoop({ clock: "virtual", core });
      const warnings: string[] = [];
      await loop.runUntilComplete(function* () {
        enableDebug({ warn: (message) => void warnings.push(message) });
        if (then.startsWith("dropped")) kept.push(new Queue<number>().put(1)); // the missing yield*
        yield* sleep(1);
        if (then.endsWith("off")) disableDebug();
      });
      loop.close();
      expect(warnings.length).toBe(then.startsWith("dropped") ? 1 : 0);
      return new WeakRef(loop);
    }
    const loops: WeakRef<EventLoop>[] = [];
    for (const then of ["on", "off", "dropped", "dropped, off"]) loops.push(await closedLoop(then));
    await collectUntil(() => loops.every((loop) => loop.deref() === undefined));
    expect(loops.map((loop) => loop.deref() === undefined)).toEqual([true, true, true, true]);
    expect(kept).toHaveLength(2);
  });

  it("a loop in debug mode that is never closed, once it stopped running, is not kept by the stuck-exit report's list", async () => {
    // The list keeps a loop that may be stuck, that is running; one that is not is let go
    // of when debug mode comes on for another loop (after 1,000 such loops kept, their
    // Wasm cores with them, new loops got the JS core).
    const loops: WeakRef<EventLoop>[] = [];
    for (let i = 0; i < 3; i++) {
      const loop = new EventLoop({ clock: "virtual", core });
      await loop.runUntilComplete(function* () {
        enableDebug();
        yield* sleep(1);
      });
      loops.push(new WeakRef(loop)); // dropped, never closed
    }
    await collectUntil(() => loops.slice(0, 2).every((loop) => loop.deref() === undefined));
    // The last one is let go of when debug mode comes on for the next loop.
    expect(loops.map((loop) => loop.deref() === undefined)).toEqual([true, true, false]);
  });

  it("a loop closed with a task whose cleanup sleeps is not kept by the runtime's note of that sleep", async () => {
    /** A loop closed with a task pending, whose `finally` sleeps; a weak reference to it. */
    async function closedLoop(): Promise<WeakRef<EventLoop>> {
      const loop = new EventLoop({ clock: "virtual", core });
      loop.setExceptionHandler(() => {}); // the sleep in the cleanup is reported
      loop.createTask(function* () {
        try {
          yield* sleep(1e9);
        } finally {
          yield* sleep(1);
        }
      });
      await loop.runUntilComplete(sleep(1));
      loop.close();
      return new WeakRef(loop);
    }
    const ref = await closedLoop();
    await collectUntil(() => ref.deref() === undefined);
    expect(ref.deref()).toBeUndefined();
  });

  it("a timeline keeps the rows of the tasks it saw, not the tasks nor what they held", async () => {
    /** Runs ten tasks that return a buffer; which of them (and their buffers) are still alive after. */
    async function kept(recording: boolean): Promise<number[]> {
      const held: WeakRef<object>[] = [];
      const timeline = await runVirtual(core, function* () {
        const timeline = recording ? recordTimeline() : null;
        // The ten run in a task of their own, which main does not keep: a generator that
        // has finished may still hold its last locals (JavaScriptCore's do), and the
        // recording still knows main, which is unfinished.
        createTask(function* () {
          for (let i = 0; i < 10; i++) {
            const buffer = { bytes: new Array(1000).fill(i) };
            held.push(new WeakRef(buffer));
            const task = createTask(function* () {
              yield* sleep(1);
              return buffer;
            });
            held.push(new WeakRef(task));
            yield* task;
          }
        });
        yield* sleep(20);
        return timeline; // still recording
      });
      await collectUntil(() => held.every((ref) => ref.deref() === undefined));
      if (timeline !== null) {
        expect(timeline.rows.length).toBe(12);
        expect(Object.keys(timeline.rows[1]!).sort()).toEqual(["end", "name", "spans", "start"]);
      }
      return held.map((ref, i) => (ref.deref() === undefined ? -1 : i)).filter((i) => i >= 0);
    }
    // Whatever the runtime and the host keep without a recording (at most the first
    // buffer, whose closure V8 may keep), and nothing more with one.
    const without = await kept(false);
    expect(without.length).toBeLessThan(2);
    expect(await kept(true)).toEqual(without);
  });

  it("a task that caught the error of a yield it could not await does not keep that error while it waits on", async () => {
    const errors: WeakRef<object>[] = [];
    const alive = await runVirtual(core, function* () {
      const task = createTask(function* () {
        try {
          yield { payload: new Array(1_000).fill(0) } as never; // not awaitable: a TypeError is thrown in
        } catch (error) {
          errors.push(new WeakRef(error as object));
        }
        yield* sleep(Infinity); // a long-lived task (no timer: virtual time may jump while main awaits the collection)
      });
      yield* sleep(1);
      const alive = yield* until(aliveAfterCollecting(errors)); // while the task still sleeps
      task.cancel();
      return alive;
    });
    expect(errors.length).toBe(1);
    expect(alive).toBe(0);
  });
});

