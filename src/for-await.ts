import { type Coroutine, type EmittingOperation, isCoroutine, refuseAsync, type ScopeYielded, type Yielded } from "./coroutine.js";
import { isCancelledError, checkIterable, refusePromiseFromBody } from "./errors.js";
import { describe } from "./describe.js";
import { Future } from "./future.js";
import { until } from "./until.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import type { RefusedReturn } from "./refused-return.js";
import type { Emitted, EmittedItems } from "./producer.js";
import { aiter, ProducerIterator } from "./producer-iterator.js";

/**
 * `for await (const item of source) body(item)` for coroutines, which cannot use
 * `for await` (asyncio's `async for`): reads an async iterable (a stream, a WebSocket's
 * messages, an async generator) item by item, running `body` on each, and returns when
 * the source is exhausted. As `for await` does, it also takes a plain iterable, whose
 * items may be promises: each is awaited before the body gets it. The body is a
 * function, or a generator function whose coroutine is awaited before the next item is
 * read; returning `false` from it stops the loop early, as `break` would.
 *
 * Leaving early closes the source, as `for await` does: on `false`, or when the body
 * throws, `source.return()` is called and awaited. When the task is cancelled while it
 * waits for the next item, `return()` is called but not awaited, since an async
 * generator would only answer it after the item that may never come. A web
 * `ReadableStream` (a `fetch` body) is read through its reader, so that cancelling the
 * task cancels the stream at once, closing the connection, even while a read waits; a
 * Node stream (a file, `process.stdin`, an HTTP response) is destroyed at once, as its
 * `return()` would have done after that item.
 * Its chunk type is read from the stream's own type, so no `DOM.AsyncIterable` lib is
 * needed for it.
 *
 * The body must not be an async function (nor an async generator), nor a plain one that
 * returns a promise: its work would start at once, out of reach of cancellation, and the
 * loop would not wait for it. That is a compile error, as it is refused at run time; a
 * `function*` is what awaits in between.
 *
 * @example
 * ```ts
 * const response = yield* until((signal) => fetch(url, { signal }));
 * let bytes = 0;
 * yield* forAwait(response.body!, function* (chunk) {
 *   bytes += chunk.length;
 *   yield* sleep(1); // let the other tasks run between chunks
 * });
 * ```
 */
export function forAwait<T, R>(source: AsyncIterable<T>, body: ForAwaitBody<T, R>): ForAwaitOperation<R>;
/**
 * `forAwait` over a producer: a generator that emits its items with `yield* emit(item)`
 * (asyncio's async generator), read in the reading task. The item type is the type of
 * what it emits.
 * @example
 * ```ts
 * function* pages(url: string) {
 *   for (let next: string | null = url; next !== null; ) {
 *     const page: Page = yield* until((signal) => fetchPage(next!, signal));
 *     yield* emit(page);
 *     next = page.next;
 *   }
 * }
 * yield* forAwait(pages(firstUrl), (page) => console.log(page.items.length)); // page: Page
 * ```
 */
export function forAwait<Y extends ScopeYielded, R>(source: Coroutine<unknown, Y>, body: ForAwaitBody<EmittedItems<Y>, R>): ForAwaitOperation<R>;
/**
 * `forAwait` over a producer read item by item ({@link aiter}), on from where it is.
 * @example
 * ```ts
 * const items = aiter(ticks(5));
 * const first = yield* items.next();
 * yield* forAwait(items, (n) => console.log(n)); // the rest: 2, 3, 4, 5
 * ```
 */
export function forAwait<T, R>(source: ProducerIterator<T>, body: ForAwaitBody<T, R>): ForAwaitOperation<R>;
/**
 * `forAwait` over a generator that is not a producer, read as one: what it yields plainly
 * is an item (a promise is awaited first, as `for await` awaits it), but a Future it
 * yields is awaited as any coroutine awaits it, and a bare `yield;` lets other tasks run;
 * neither is an item, and the item type leaves them out. (An array of Futures, not a
 * generator of them, gives their results as items.)
 * @example
 * ```ts
 * function* numbers() {
 *   yield 1;
 *   yield Promise.resolve(2);
 * }
 * yield* forAwait(numbers(), (n) => console.log(n)); // n: number
 * ```
 */
export function forAwait<T, R>(source: Generator<T, unknown, unknown>, body: ForAwaitBody<GeneratorItem<T>, R>): ForAwaitOperation<R>;
/**
 * `forAwait` over a plain iterable, whose items may be promises (or Futures) of different
 * types: each is awaited before the body gets it, as `for await` does.
 * @example
 * ```ts
 * yield* forAwait([fetchName(), Promise.resolve(42)], (item) => console.log(item)); // item: string | number
 * ```
 */
export function forAwait<T, R>(source: Iterable<T>, body: ForAwaitBody<Awaited<T>, R>): ForAwaitOperation<R>;
/**
 * `forAwait` over a web `ReadableStream` (a `fetch` body) that TypeScript does not type
 * as async iterable (the DOM lib without `DOM.AsyncIterable`): the chunk type is read from
 * the stream's type.
 * @example
 * ```ts
 * yield* forAwait(response.body!, (chunk) => void chunks.push(chunk)); // chunk: Uint8Array
 * ```
 */
export function forAwait<T, R>(source: ReadableStreamLike<T>, body: ForAwaitBody<Exclude<T, undefined>, R>): ForAwaitOperation<R>;
export function forAwait<T>(
  source: AsyncIterable<T> | Iterable<T | PromiseLike<T>> | ReadableStreamLike<T> | ProducerIterator<T>,
  body: (item: T) => Coroutine<unknown> | unknown,
): Operation<void> {
  refuseAsync(body, "forAwait()");
  return mustAwait(forEachItem(source, body), "forAwait()");
}

/**
 * The items of a generator that is not a producer: what it yields, but the Futures and
 * bare `yield`s it awaits; an emit among them gives its item.
 */
export type GeneratorItem<T> = Awaited<Exclude<T, Yielded | Future<any> | Emitted<unknown>>> | EmittedItems<T>;

/**
 * What forAwait returns: an operation, or, when its body emits (`function* (x) { yield*
 * emit(f(x)); }`), a producer of what the body emits, so that a producer that maps or
 * filters another one is typed without a `Producer<T>` annotation.
 */
export type ForAwaitOperation<R> = EmittingOperation<void, EmittedBy<R>>;

/** The `Emitted<T>` members of what a body's coroutine yields, if the body is a `function*`. */
type EmittedBy<R> = R extends Iterator<infer Y, unknown, unknown> ? Extract<Y, Emitted<unknown>> : never;

/**
 * What forAwait runs on each item: a function (a `function*` too, whose coroutine is
 * awaited) whose result `R` is not a promise nor an async iterator. Such a body is an
 * async function, which the run time refuses: it is a compile error that says why (see
 * {@link RefusedReturn}).
 */
type ForAwaitBody<T, R> = ((item: T) => R) &
  RefusedReturn<
    Exclude<R, Future<unknown>>, // a task it started (its Future) is no promise to wait for
    PromiseLike<unknown> | AsyncIterator<unknown>,
    "forAwait() refuses an async body: use a function* to wait in it"
  >;

/**
 * @internal An async iterator of the runtime's own (asCompleted's), read within the loop:
 * forAwait runs `_nextStep()` in the reading task, as asyncio's `async for` awaits
 * `__anext__()` there. So no promise of the host stands between, which virtual time
 * would wait for, and a cancellation of the reader reaches the step where it waits.
 */
export interface LoopAsyncIterator<T> extends AsyncIterator<T> {
  _nextStep(): Coroutine<IteratorResult<T>>;
}

/**
 * A web `ReadableStream` (a `fetch` body), typed without the DOM's async-iterable lib:
 * without it a ReadableStream is not AsyncIterable to TypeScript. The chunk type is
 * inferred from `pipeTo`, which has no overloads (`getReader` has three); a writer's
 * `write(chunk?)` makes it `T | undefined`, which forAwait's overload takes out.
 */
interface ReadableStreamLike<T> {
  getReader(): object;
  pipeTo(destination: { getWriter(): { write(chunk: T): unknown } }): PromiseLike<void>;
}

type ForAwaitSource<T> = AsyncIterable<T> | Iterable<T | PromiseLike<T>> | ReadableStreamLike<T> | ProducerIterator<T>;

function* forEachItem<T>(source: ForAwaitSource<T>, body: (item: T) => Coroutine<unknown> | unknown): Coroutine<void> {
  const iterator = openSource(source, body);
  if (iterator === null) return yield* forEachEmitted(aiter(source as ProducerIterator<T>), body);
  // Whether the source still needs closing, and whether that may be waited for. (The
  // source's answers go through Promise.resolve: `for await` takes plain ones too.)
  let needsClosing = true;
  let waitingForItem = false;
  let failed = false;
  try {
    for (;;) {
      waitingForItem = true;
      let step: IteratorResult<T>;
      try {
        const inLoop = (iterator as Partial<LoopAsyncIterator<T>>)._nextStep;
        step = inLoop ? yield* inLoop.call(iterator) : yield* until(Promise.resolve(iterator.next()));
      } catch (error) {
        // A source whose next() fails is done, as for `for await`; a cancellation is not.
        if (!isCancelledError(error)) needsClosing = false;
        throw error;
      }
      waitingForItem = false;
      if (!isObject(step)) needsClosing = false; // as for `for await`: one that breaks the protocol is not closed
      checkResult(step, "next()");
      if (step.done) {
        needsClosing = false;
        return;
      }
      if (!(yield* runBody(body, step.value))) return;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (needsClosing && typeof iterator.return === "function") yield* closeSource(iterator, source, waitingForItem, failed);
  }
}

/**
 * The iterator forAwait reads `source` with: a stream's reader, the source's own async
 * iterator, or one that awaits each item of a plain iterable; null for a producer, which
 * is read as one. Refuses a source or a body it cannot use.
 */
function openSource<T>(source: ForAwaitSource<T>, body: unknown): AsyncIterator<T> | null {
  const isStream = typeof (source as Partial<StreamLike<T>> | null)?.getReader === "function";
  const open = (source as Partial<AsyncIterable<T>> | null)?.[Symbol.asyncIterator];
  const isProducer = source instanceof ProducerIterator || (isCoroutine(source) && typeof open !== "function");
  if (!isStream && !isProducer && typeof open !== "function") checkIterable(source, "forAwait()", "items (async or not)");
  if (typeof body !== "function") throw new TypeError(`forAwait() needs a function for each item, got ${describe(body)}`);
  if (isProducer) return null;
  const iterator: AsyncIterator<T> = isStream
    ? readerOf(source as unknown as StreamLike<T>)
    : typeof open === "function"
      ? open.call(source)
      : awaitEach(source as Iterable<T | PromiseLike<T>>);
  if (!isObject(iterator)) {
    throw new TypeError(`forAwait(): the source's [Symbol.asyncIterator]() returned ${describe(iterator)}, not an iterator`);
  }
  return iterator;
}

/**
 * Closes the source that forAwait leaves before its end. While an item was awaited (the
 * reader was cancelled there) the close is not waited for, which a source that answers
 * only after its pending item would never end, and a Node stream is destroyed; otherwise
 * its `return()` is awaited, and what it answers checked.
 */
function* closeSource<T>(iterator: AsyncIterator<T>, source: unknown, waitingForItem: boolean, failed: boolean): Coroutine<void> {
  let closed: Promise<unknown>;
  try {
    closed = Promise.resolve(iterator.return!());
  } catch (closing) {
    closed = Promise.reject(closing); // then settled below like a return() that rejects
  }
  if (waitingForItem) {
    closed.then(undefined, () => {});
    if (isNodeStream(source)) source.destroy();
  } else {
    const answer = yield* closing(until(closed), failed);
    if (!failed) checkResult(answer, "return()");
  }
}

/**
 * Closes the source as forAwait leaves: after a failure, as for `for await`, the error
 * that ends the loop wins over one from closing, but a new cancellation is not dropped.
 */
function* closing<T>(close: Coroutine<T> | Future<T>, failed: boolean): Coroutine<T | undefined> {
  if (!failed) return yield* close;
  try {
    return yield* close;
  } catch (error) {
    if (isCancelledError(error)) throw error;
    return undefined;
  }
}

/** Runs the body on one item, and tells whether the loop goes on (the body did not return false). */
function* runBody<T>(body: (item: T) => Coroutine<unknown> | unknown, item: T): Coroutine<boolean> {
  const result = body(item);
  if (isCoroutine(result)) return (yield* result) !== false;
  // A plain function that started async work (`(x) => save(x)`): nothing would wait for
  // it, and its failure would be no one's. (A task it started is fine: the loop reports
  // a task's failure.)
  if (!(result instanceof Future)) refusePromiseFromBody(result, "forAwait()");
  return result !== false;
}

/**
 * forAwait over a producer (see {@link emit}), read through its iterator (see
 * {@link aiter}) in the reading task, as asyncio's `async for` steps an async generator in
 * the task that reads it. It is a coroutine: what it `yield*`s of the runtime's
 * awaitables, a Future it yields, and a bare `yield;` are for the task; what it emits is
 * an item, and so is a plain `yield` of anything else, as `for await` reads a plain
 * generator. Leaving while it is stopped at an item closes it: its `finally` blocks run,
 * and may wait, before forAwait returns or throws. An error that closing a producer
 * stopped at an emit raises is the one raised, as with asyncio's `aclosing()`; one
 * stopped at a plain `yield` is closed as `for await` closes it.
 */
function* forEachEmitted<T>(items: ProducerIterator<T>, body: (item: T) => Coroutine<unknown> | unknown): Coroutine<void> {
  let failed = false;
  try {
    for (;;) {
      const step = yield* items._next("forAwait()");
      if (step.done) return;
      if (!(yield* runBody(body, step.value))) return;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    const stoppedAt = items._stoppedAt;
    if (stoppedAt === "emit") yield* items._close("forAwait()");
    else if (stoppedAt === "yield") yield* closing(items._close("forAwait()"), failed);
  }
}

/**
 * Whether `source` is a Node stream (`fs.createReadStream`, `process.stdin`, an HTTP
 * response), whose async iterator's `return()` waits for the pending read as an async
 * generator's does: a task cancelled while such a stream is idle would leave it open, and
 * its process alive, until a next chunk that may never come. Its `return()` ends by
 * destroying the stream (Node's `destroyOnReturn`), which forAwait then does at once.
 */
function isNodeStream(source: unknown): source is { destroy(): unknown } {
  const stream = source as { destroy?: unknown; pipe?: unknown };
  return typeof stream.destroy === "function" && typeof stream.pipe === "function";
}

/** Refuses an answer of the source's `method` that is not an iterator result, as `for await` does. */
function checkResult(value: unknown, method: string): asserts value is object {
  if (!isObject(value)) {
    throw new TypeError(`forAwait(): the source's ${method} gave ${describe(value)}, not an iterator result object`);
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** What forAwait needs of a web `ReadableStream`: neither the DOM's types nor Node's are assumed. */
interface StreamLike<T> {
  getReader(): {
    read(): Promise<{ done: true; value?: undefined } | { done: false; value: T }>;
    cancel(reason?: unknown): Promise<void>;
    releaseLock(): void;
  };
}

/**
 * A web stream read through its own reader rather than its async iterator: that
 * iterator's `return()` waits for a pending read, so a task cancelled while a `fetch`
 * body stalls could not cancel the stream (and close the connection) until the next
 * chunk came. A reader's `cancel()` ends the pending read at once. As the stream's own
 * iterator does, it lets go of the stream when it ends, fails or is left.
 */
function readerOf<T>(stream: StreamLike<T>): AsyncIterator<T> {
  const reader = stream.getReader();
  return {
    async next(): Promise<IteratorResult<T>> {
      try {
        const step = await reader.read();
        if (step.done) reader.releaseLock();
        return step as IteratorResult<T>; // `{ done: true }` lacks the value IteratorResult types
      } catch (error) {
        reader.releaseLock();
        throw error;
      }
    },
    async return(value?: unknown): Promise<IteratorResult<T>> {
      const cancelled = reader.cancel(value);
      reader.releaseLock();
      await cancelled;
      return { done: true, value: undefined };
    },
  };
}

/** A plain iterable read as `for await` reads one: each item awaited, and closed early on return(). */
async function* awaitEach<T>(items: Iterable<T | PromiseLike<T>>): AsyncGenerator<T, void, undefined> {
  yield* items;
}
