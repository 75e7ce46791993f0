// forAwait(source, body): `for await` for coroutines. Items in order, early exits close
// the source as `for await` does, and a cancellation does not wait for an item that may
// never come.
import { expect, it } from "vitest";
import { createTask, emit, forAwait, gather, getRunningLoop, sleep, type Task, until, ValueError } from "../src/index.ts";
import { forEachCore, messageOf, now, runVirtual } from "./helpers.ts";

/** An async generator of `items` that logs when it is closed. */
async function* numbers(items: number[], log: string[]): AsyncGenerator<number> {
  try {
    for (const item of items) yield item;
  } finally {
    log.push("source closed");
  }
}

/** A hand-written async iterator whose next() answers `answers` in turn, then never. */
function scripted(answers: (() => Promise<IteratorResult<number>>)[], log: string[]): AsyncIterable<number> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => answers.shift()?.() ?? new Promise<IteratorResult<number>>(() => {}),
      return: () => {
        log.push("return() called");
        return Promise.resolve({ value: undefined, done: true as const });
      },
    }),
  };
}

forEachCore("forAwait", (core) => {
  it("runs the body on each item in order, awaiting its coroutine before the next", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(numbers([1, 2, 3], log), function* (n) {
        yield* sleep(10 * n);
        log.push(`${n} at ${now()}`);
      });
      log.push(`done at ${now()}`);
      return log;
    });
    expect(log).toEqual(["1 at 10", "2 at 30", "3 at 60", "source closed", "done at 60"]);
  });

  it("takes a plain function too, and stops when the body returns false, closing the source", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(numbers([1, 2, 3, 4], log), (n) => {
        log.push(`saw ${n}`);
        return n < 2;
      });
      return log;
    });
    expect(log).toEqual(["saw 1", "saw 2", "source closed"]);
  });

  it("stops when a function* body returns false, as a plain one does", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(numbers([1, 2, 3, 4], log), function* (n) {
        yield* sleep(1);
        log.push(`saw ${n}`);
        return n < 2;
      });
      return log;
    });
    expect(log).toEqual(["saw 1", "saw 2", "source closed"]);
  });

  it("goes on when the body returns 0, \"\" or null: only false stops it", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const falsy = [0, "", null];
      yield* forAwait(numbers([0, 1, 2], log), (n) => {
        log.push(`plain ${n}`);
        return falsy[n];
      });
      yield* forAwait(numbers([0, 1, 2], log), function* (n) {
        yield* sleep(1);
        log.push(`function* ${n}`);
        return falsy[n];
      });
      return log;
    });
    expect(log).toEqual(["plain 0", "plain 1", "plain 2", "source closed", "function* 0", "function* 1", "function* 2", "source closed"]);
  });

  it("closes the source and passes the error on when the body throws", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const message = yield* messageOf(() =>
        forAwait(numbers([1, 2], log), function* () {
          yield* sleep(1);
          throw new Error("bad item");
        }),
      );
      return [message, ...log];
    });
    expect(out).toEqual(["Error: bad item", "source closed"]);
  });

  it("does not close a source whose next() failed, and passes its error on", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const source = scripted([() => Promise.resolve({ value: 1, done: false }), () => Promise.reject(new Error("stream broke"))], log);
      const message = yield* messageOf(() => forAwait(source, (n) => void log.push(`item ${n}`)));
      return [message, ...log];
    });
    expect(out).toEqual(["Error: stream broke", "item 1"]);
  });

  it("ends at once when cancelled while waiting for an item, calling return() without waiting for it", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const log: string[] = [];
        const reader = createTask(forAwait(scripted([], log), () => {}));
        getRunningLoop().callLater(5, () => reader.cancel());
        const message = yield* messageOf(() => reader);
        return [message, now(), ...log];
      },
      { autojumpThreshold: 0 },
    );
    expect(out).toEqual(["CancelledError: ", 5, "return() called"]);
  });

  it("cancelled while it waits for return() after the body failed, ends cancelled, not with the body's error", async () => {
    const out = await runVirtual(core, function* () {
      const closing: ((result: IteratorResult<number>) => void)[] = [];
      const source: AsyncIterable<number> = {
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.resolve({ value: 1, done: false }),
          return: () => new Promise<IteratorResult<number>>((resolve) => closing.push(resolve)), // a slow close
        }),
      };
      const reader = createTask(
        forAwait(source, () => {
          throw new Error("body failed");
        }),
      );
      yield* sleep(1); // the body failed, and the reader waits for return()
      const took = reader.cancel();
      const message = yield* messageOf(() => reader);
      for (const close of closing) close({ value: undefined, done: true });
      return [took, closing.length, message];
    });
    expect(out).toEqual([true, 1, "CancelledError: "]);
  });

  it("cancelled while waiting, calls return() on a source that only has a destroy() as well: destroy() is for Node streams", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const source = {
        [Symbol.asyncIterator]: () => source,
        next: () => new Promise<IteratorResult<number>>(() => {}),
        return: () => {
          log.push("return()");
          return Promise.resolve({ value: undefined, done: true as const });
        },
        destroy: () => log.push("destroy()"), // a cursor's or a pool handle's, say
      };
      const reader = createTask(forAwait(source, () => {}));
      yield* sleep(1);
      reader.cancel();
      log.push(yield* messageOf(() => reader));
      return log;
    });
    expect(out).toEqual(["return()", "CancelledError: "]);
  });

  it("reads an async iterator whose next() answers a plain result, not a promise, as for await does", async () => {
    const out = await runVirtual(core, function* () {
      let n = 0;
      const source = {
        [Symbol.asyncIterator]: () => source,
        next: (): IteratorResult<number> => (n < 3 ? { value: ++n, done: false } : { value: undefined, done: true }),
      } as unknown as AsyncIterable<number>;
      const items: number[] = [];
      yield* forAwait(source, (item) => void items.push(item));
      return items;
    });
    expect(out).toEqual([1, 2, 3]);
  });

  it("takes a plain iterable as for await does: each item awaited, and the iterator closed on an early stop", async () => {
    const out = await runVirtual(core, function* () {
      const seen: unknown[] = [];
      yield* forAwait([1, Promise.resolve(2), 3], (item) => {
        seen.push(item);
      });
      let closed = false;
      function* endless() {
        try {
          for (let n = 1; ; n++) yield n;
        } finally {
          closed = true;
        }
      }
      yield* forAwait(endless(), (n) => {
        seen.push(`endless ${n}`);
        return n < 2;
      });
      return [...seen, closed];
    });
    expect(out).toEqual([1, 2, 3, "endless 1", "endless 2", true]);
  });

  it("reads a generator that has its own [Symbol.asyncIterator] through that, as for await does", async () => {
    const out = await runVirtual(core, function* () {
      const items: string[] = [];
      function* plain() {
        yield "sync item";
      }
      const both = Object.assign(plain(), {
        async *[Symbol.asyncIterator]() {
          yield "async item";
        },
      });
      yield* forAwait(both, (item) => void items.push(item));
      return items;
    });
    expect(out).toEqual(["async item"]);
  });

  it("refuses a source whose [Symbol.asyncIterator]() gives no iterator, saying so", async () => {
    const out = await runVirtual(core, function* () {
      const broken = { [Symbol.asyncIterator]: () => undefined } as unknown as AsyncIterable<number>;
      return yield* messageOf(() => forAwait(broken, () => {}));
    });
    expect(out).toBe("TypeError: forAwait(): the source's [Symbol.asyncIterator]() returned undefined, not an iterator");
  });

  it("refuses a source whose next() gives no result object, without closing it, as for await does", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const seen: unknown[] = [];
      const broken = scripted([() => Promise.resolve({ value: 1, done: false }), () => Promise.resolve(5 as never)], log);
      const message = yield* messageOf(() => forAwait(broken, (item) => void seen.push(item)));
      return [message, ...seen, ...log];
    });
    expect(out).toEqual(["TypeError: forAwait(): the source's next() gave number 5, not an iterator result object", 1]);
  });

  it("keeps the error that ends the loop, or the cancellation, when return() throws", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const throwingReturn = (first: () => Promise<IteratorResult<number>>): AsyncIterable<number> => ({
          [Symbol.asyncIterator]: () => ({
            next: first,
            return: (): never => {
              throw new Error("return() failed");
            },
          }),
        });
        const failing = yield* messageOf(() =>
          forAwait(throwingReturn(() => Promise.resolve({ value: 1, done: false })), () => {
            throw new Error("body failed");
          }),
        );
        const waiting = createTask(forAwait(throwingReturn(() => new Promise(() => {})), () => {}));
        getRunningLoop().callLater(5, () => waiting.cancel("stop"));
        const cancelled = yield* messageOf(() => waiting);
        const stopped = yield* messageOf(() => forAwait(throwingReturn(() => Promise.resolve({ value: 1, done: false })), () => false));
        return [failing, cancelled, waiting.cancelled(), stopped];
      },
      { autojumpThreshold: 0 },
    );
    expect(out).toEqual(["Error: body failed", "CancelledError: stop", true, "Error: return() failed"]);
  });

  it("refuses a return() that gives no result object on an early stop, as for await does", async () => {
    const out = await runVirtual(core, function* () {
      const source: AsyncIterable<number> = {
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.resolve({ value: 1, done: false }),
          return: () => Promise.resolve(undefined as never),
        }),
      };
      return yield* messageOf(() => forAwait(source, () => false));
    });
    expect(out).toBe("TypeError: forAwait(): the source's return() gave undefined, not an iterator result object");
  });

  it("cancels a web stream that waits for a chunk at once when the task is cancelled, unlocking it", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const log: string[] = [];
        const stalled = new ReadableStream<number>({
          start: (controller) => controller.enqueue(1),
          cancel: () => void log.push("stream cancelled"),
        });
        // (A ReadableStream is an AsyncIterable in TypeScript's DOM.AsyncIterable lib.)
        const reader = createTask(forAwait(stalled as unknown as AsyncIterable<number>, (chunk) => void log.push(`chunk ${chunk}`)));
        getRunningLoop().callLater(5, () => reader.cancel());
        const message = yield* messageOf(() => reader);
        yield* sleep(0); // the cancel the reader started is answered in a microtask
        const early = new ReadableStream<number>({
          start: (controller) => [1, 2, 3].forEach((n) => controller.enqueue(n)),
          cancel: () => void log.push("early stop cancelled the stream"),
        });
        yield* forAwait(early as unknown as AsyncIterable<number>, (chunk) => chunk < 2);
        return [message, now(), stalled.locked, early.locked, ...log];
      },
      { autojumpThreshold: 0 },
    );
    expect(out).toEqual(["CancelledError: ", 5, false, false, "chunk 1", "stream cancelled", "early stop cancelled the stream"]);
  });

  it("lets go of a web stream it read to the end, or whose read failed, as the stream's own iterator does", async () => {
    const out = await runVirtual(core, function* () {
      const ended = new ReadableStream<number>({
        start: (controller) => {
          controller.enqueue(1);
          controller.close();
        },
      });
      yield* forAwait(ended as unknown as AsyncIterable<number>, () => {});
      const failing = new ReadableStream<number>({ start: (controller) => controller.error(new ValueError("broken pipe")) });
      const message = yield* messageOf(() => forAwait(failing as unknown as AsyncIterable<number>, () => {}));
      return [ended.locked, failing.locked, message];
    });
    expect(out).toEqual([false, false, "ValueError: broken pipe"]);
  });

  it("refuses what is not iterable, or a body that is not a function, before it reads anything", async () => {
    const log: string[] = [];
    const messages = await runVirtual(core, function* () {
      function* producer() {
        log.push("the producer started");
        yield* emit(1);
      }
      return [
        yield* messageOf(() => forAwait(42 as never, () => {})),
        yield* messageOf(() => forAwait(numbers([], []), "print" as never)),
        yield* messageOf(() => forAwait(producer(), 42 as never)),
      ];
    });
    expect(messages).toEqual([
      "TypeError: forAwait() takes an iterable of items (async or not), got number 42",
      'TypeError: forAwait() needs a function for each item, got the string "print"',
      "TypeError: forAwait() needs a function for each item, got number 42",
    ]);
    expect(log).toEqual([]);
  });

  it("reads a web stream that has getReader() but no async iterator (older browsers, polyfills)", async () => {
    const chunks = ["a", "b"];
    const released: string[] = [];
    const stream = {
      getReader: () => ({
        read: async () => (chunks.length > 0 ? { done: false, value: chunks.shift()! } : { done: true, value: undefined }),
        cancel: async () => {},
        releaseLock: () => void released.push("lock released"),
      }),
      pipeTo: async () => {},
    };
    const seen = await runVirtual(core, function* () {
      const seen: string[] = [];
      yield* forAwait(stream as unknown as AsyncIterable<string>, (chunk) => void seen.push(chunk));
      return seen;
    });
    expect([...seen, ...released]).toEqual(["a", "b", "lock released"]);
  });

  it("takes an iterator, and results, that are functions with the fields, as for await does", async () => {
    // Objects by JavaScript's rules, which for await reads as it reads any other.
    const source = (): AsyncIterable<number> => {
      let i = 0;
      const iterator = Object.assign(function iterator() {}, {
        next: () => Object.assign(() => {}, { done: i >= 2, value: ++i }),
      });
      return { [Symbol.asyncIterator]: () => iterator as unknown as AsyncIterator<number> };
    };
    const native: number[] = [];
    for await (const n of source()) native.push(n);
    const seen = await runVirtual(core, function* () {
      const seen: number[] = [];
      yield* forAwait(source(), (n) => void seen.push(n));
      return seen;
    });
    expect(seen).toEqual(native);
    expect(seen).toEqual([1, 2]);
  });

  it("refuses a plain function that returns a promise, and closes the source; one that starts a task and returns it is fine", async () => {
    const log: string[] = [];
    const saved: number[] = [];
    const out = await runVirtual(core, function* () {
      const refused = yield* messageOf(() =>
        // @ts-expect-error -- a body returning a promise does not compile either
        forAwait(numbers([1, 2, 3], log), (n: number) => Promise.resolve().then(() => void saved.push(n))),
      );
      const tasks: Task<void>[] = [];
      // Returned, the task is not taken for a promise (a Task has a `then`): the loop
      // reports its failure, and here the gather waits for it.
      yield* forAwait([4, 5], (n) => {
        const task = createTask(function* () { saved.push(n); });
        tasks.push(task);
        return task;
      });
      yield* gather(tasks);
      return refused;
    });
    expect(out).toBe(
      "TypeError: forAwait()'s body returned a Promise: a body that waits is a function* (yield* until(promise) in it)",
    );
    expect(log).toEqual(["source closed"]); // stopped at the first item, and the source closed
    expect(saved).toEqual([1, 4, 5]);
  });

  it("an early stop of a web stream whose cancel fails raises that error, as leaving a for await of it does", async () => {
    const out = await runVirtual(core, function* () {
      const seen: number[] = [];
      const stream = new ReadableStream<number>({
        start: (controller) => [1, 2, 3].forEach((n) => controller.enqueue(n)),
        cancel: () => {
          throw new ValueError("could not close the connection");
        },
      });
      const message = yield* messageOf(() => forAwait(stream as unknown as AsyncIterable<number>, (chunk) => (seen.push(chunk), chunk < 2)));
      // What for await does with the same stream.
      const stream2 = new ReadableStream<number>({
        start: (controller) => [1, 2, 3].forEach((n) => controller.enqueue(n)),
        cancel: () => {
          throw new ValueError("could not close the connection");
        },
      });
      const native = yield* messageOf(function* () {
        return yield* until(
          (async () => {
            for await (const chunk of stream2 as unknown as AsyncIterable<number>) if (chunk >= 2) break;
          })(),
        );
      });
      return [message, seen, stream.locked, native];
    });
    expect(out).toEqual([
      "ValueError: could not close the connection",
      [1, 2],
      false,
      "ValueError: could not close the connection",
    ]);
  });
});
