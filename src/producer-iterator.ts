import { type Coroutine, isCoroutine, type ScopeYielded } from "./coroutine.js";
import { isCancelledError, isThenable, RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { retrieveIfFailed } from "./future.js";
import { gather } from "./gather.js";
import { weakRef } from "./host.js";
import { DONE_UNDEFINED } from "./iterator-results.js";
import type { EventLoop } from "./loop.js";
import { isOperation, mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { closeProducer, EmitOp, type EmittedItems, forwardAwaits, ITEM_TAKEN, type Producer } from "./producer.js";
import { getRunningLoop } from "./running.js";
import { Shown } from "./inspect-hook.js";
import { until } from "./until.js";

/**
 * A producer read item by item, in the task that asks (asyncio's `anext()` and
 * `aclose()` of an async generator): what forAwait reads a producer with, for the readers
 * that need more than one item at a time from it, such as a `zip` of two producers or a
 * timeout per item. Get it with {@link aiter}.
 *
 * Any task may ask for the next item once the one before was given, as in asyncio, but
 * one step at a time: a `next()` while another task's `next()` or `close()` still runs the
 * producer is refused with a RuntimeError.
 *
 * @example
 * ```ts
 * function* zip<A, B>(left: Producer<A>, right: Producer<B>) {
 *   const a = aiter(left);
 *   const b = aiter(right);
 *   try {
 *     for (;;) {
 *       const [x, y] = [yield* a.next(), yield* b.next()];
 *       if (x.done || y.done) return;
 *       yield* emit([x.value, y.value] as const);
 *     }
 *   } finally {
 *     yield* b.close();
 *     yield* a.close();
 *   }
 * }
 * ```
 */
export class ProducerIterator<T> extends Shown {
  private readonly producer: Producer<T, unknown>;
  /** @internal Where the producer stopped with an item: at an emit, a plain `yield`, or neither. */
  _stoppedAt: "emit" | "yield" | null = null;
  /** What the producer gets where it stopped, when the next item is asked for. */
  private resume: unknown = undefined;
  /** Or what is thrown in there instead. */
  private throwIn: Error | null = null;
  /** A `next()` or `close()` runs the producer now. */
  private running = false;
  /** It ended, or was closed: it gives no more items. */
  private over = false;
  /** Where it is noted as open once a first step began it (see {@link OpenProducers}). */
  private openIn: OpenProducers | null = null;
  /** @internal Its weak reference there, once it outlived the host job that began it. */
  _openRef: IteratorRef | null = null;

  /** Use {@link aiter}, which gives one iterator per producer. */
  constructor(producer: Producer<T, unknown>) {
    super();
    this.producer = producer;
  }

  /**
   * The next item, `{ done: false, value }`, or `{ done: true }` once the producer
   * ended or was closed; what the producer throws is thrown (asyncio's `anext()`).
   * @example
   * ```ts
   * const first = yield* aiter(ticks(3)).next(); // { done: false, value: 1 }
   * ```
   */
  next(): Operation<IteratorResult<T, undefined>> {
    return mustAwait(this._next("ProducerIterator.next()"), "next()", this);
  }

  /**
   * Closes the producer, as asyncio's `aclose()`: one stopped at an item gets a
   * GeneratorExit there, and its `finally` blocks run, and may wait, in this task; one not
   * started yet never runs. Closing it again, or once it ended, does nothing; closing it
   * while another task's `next()` runs it is refused with a RuntimeError.
   * @example
   * ```ts
   * try { ... } finally { yield* items.close(); }
   * ```
   */
  close(): Operation<void> {
    return mustAwait(this._close("ProducerIterator.close()"), "close()", this);
  }

  /** @internal `what` is who asks, for the errors that say so. */
  *_next(what: string): Coroutine<IteratorResult<T, undefined>> {
    if (!this.enter(what)) return DONE_UNDEFINED;
    if (this.openIn === null) {
      this.openIn = OpenProducers.of(getRunningLoop());
      this.openIn.add(this);
    }
    const producer = this.producer;
    try {
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          const given = this.throwIn !== null ? producer.throw(this.throwIn) : producer.next(this.resume);
          this.throwIn = null;
          step = yield* forwardAwaits(producer, given);
        } catch (error) {
          this.end(); // what it threw ended it
          throw error;
        }
        if (step.done) {
          this.end();
          return DONE_UNDEFINED;
        }
        const yielded = step.value;
        if (yielded instanceof EmitOp) {
          this._stoppedAt = "emit";
          this.resume = ITEM_TAKEN;
          return { done: false, value: yielded._item as T };
        }
        if (isOperation(yielded)) {
          // `yield lock.acquire()`: the operation would be taken for a promise of an item.
          this.throwIn = new TypeError(`${what}: the producer yielded an operation without its * (yield* it)`);
          continue;
        }
        // A plain `yield value`: an item, as `for await` reads a generator, a promise's value.
        this._stoppedAt = "yield";
        this.resume = undefined;
        return { done: false, value: (isThenable(yielded) ? yield* until(yielded) : yielded) as T };
      }
    } finally {
      this.running = false;
    }
  }

  /** @internal */
  *_close(what: string): Coroutine<void> {
    const stoppedAt = this._stoppedAt;
    if (!this.enter(what)) return;
    this.end();
    try {
      if (stoppedAt === null) this.producer.return(undefined); // not started: it never runs
      else yield* closeProducer(this.producer, stoppedAt === "emit", what);
    } finally {
      this.running = false;
    }
  }

  /** It gives no more items: nothing is left to close at the loop's shutdown. */
  private end(): void {
    this.over = true;
    this.openIn?.delete(this);
  }

  /**
   * `<ProducerIterator suspended>`: not started, running (a step is in progress),
   * suspended (at an item, or before its first step if begun), or finished.
   * @example
   * ```ts
   * const items = aiter(ticks(3));
   * yield* items.next();
   * String(items); // "<ProducerIterator suspended>"
   * ```
   */
  override toString(): string {
    const state = this.running ? "running" : this.over ? "finished" : this.openIn === null ? "not started" : "suspended";
    return `<ProducerIterator ${state}>`;
  }

  /** @internal Whether it has ended or been closed. */
  get _over(): boolean {
    return this.over;
  }

  /**
   * Starts a step, or tells there is none to take (it ended, or was closed). A step while
   * one runs the producer is refused, as it would resume it where it waits: a closing
   * whose cleanup waits is such a step too (asyncio: "already running").
   */
  private enter(what: string): boolean {
    if (this.running) {
      throw new RuntimeError(`${what}: the producer is running already, for another reader (it takes one step at a time)`);
    }
    if (this.over) return false;
    this.running = true;
    this._stoppedAt = null;
    return true;
  }
}

/** A weak reference to an iterator (see {@link OpenProducers}). */
type IteratorRef = { deref(): ProducerIterator<unknown> | undefined };

/**
 * @internal The producers a loop's tasks began to read with `aiter()` (forAwait uses one
 * too) and have not finished or closed: the end of `run()` closes them, as asyncio's
 * `shutdown_asyncgens()` closes the async generators left open, and reports what their
 * cleanup raises. They are held weakly, as asyncio holds them: one dropped while open is
 * not kept alive for this, and is not closed (asyncio closes it when collected, which a
 * JavaScript generator gives no hook for).
 *
 * Weakly from the end of the host job that began them only. V8 keeps the target of a
 * WeakRef made (or deref'd) in a job alive until that job ends, and a task that reads one
 * producer after another without ever waiting is one job: a WeakRef for each would keep
 * every producer it read, closed or not, with its generator, until it waited (2,000,000
 * small `forAwait`s in one step took a gigabyte where asyncio stays flat). So a producer
 * begun in this job is held strongly, and let go of as soon as it ends or is closed, as
 * most are; one still open when the job ends gets its WeakRef then.
 */
export class OpenProducers {
  /** Begun in this host job and still open, in the order they were begun. */
  private readonly fresh = new Set<ProducerIterator<unknown>>();
  /** Those that outlived the job that began them, in the order they were begun. */
  private readonly refs = new Set<IteratorRef>();
  /** When the set is this big, the references to iterators collected meanwhile are dropped. */
  private sweepAt = 64;
  /** An {@link endOfJob} is queued. */
  private queued = false;

  /** The loop's, made at its first producer; the end of `run()` finds it on the loop. */
  static of(loop: EventLoop): OpenProducers {
    return (loop._openProducers ??= new OpenProducers());
  }

  /** Notes `iterator` as open; {@link delete} takes it off again. */
  add(iterator: ProducerIterator<unknown>): void {
    if (!this.queued) {
      this.queued = true;
      queueMicrotask(() => this.endOfJob());
    }
    this.fresh.add(iterator);
  }

  delete(iterator: ProducerIterator<unknown>): void {
    if (!this.fresh.delete(iterator) && iterator._openRef !== null) this.refs.delete(iterator._openRef);
  }

  /** Those begun in the job that ended and still open are held weakly from now on. */
  private endOfJob(): void {
    this.queued = false;
    const refs = this.refs;
    if (refs.size + this.fresh.size >= this.sweepAt) {
      for (const ref of refs) if (ref.deref() === undefined) refs.delete(ref);
      this.sweepAt = Math.max(64, (refs.size + this.fresh.size) * 2);
    }
    for (const iterator of this.fresh) refs.add((iterator._openRef = weakRef(iterator)));
    this.fresh.clear();
  }

  /**
   * Closes every one still open, all at once, then reports each whose cleanup raised
   * (not a cancellation), in the order they were begun, as asyncio does.
   */
  *_closeAll(what = "run()'s shutdown"): Coroutine<void> {
    const open: ProducerIterator<unknown>[] = [];
    for (const ref of this.refs) {
      const iterator = ref.deref();
      if (iterator !== undefined && !iterator._over) open.push(iterator);
    }
    for (const iterator of this.fresh) open.push(iterator);
    this.refs.clear();
    this.fresh.clear();
    if (open.length === 0) return;
    const loop = getRunningLoop();
    const closings = open.map((iterator) => loop.createTask(iterator._close(what)));
    yield* gather(closings, { returnExceptions: true });
    closings.forEach((closing, index) => {
      // Told by the task, not the error: a cleanup may throw undefined.
      if (retrieveIfFailed(closing) && !isCancelledError(closing._result)) {
        loop.callExceptionHandler({
          message: "an error occurred during closing of a producer left open",
          exception: closing._result,
          producer: open[index]!,
        });
      }
    });
  }
}

/**
 * Closes the producers the running loop's tasks began to read with {@link aiter} and left open,
 * neither ended nor closed (asyncio's `loop.shutdown_asyncgens()`): their `finally`
 * blocks run, all at once, and what one raises goes to the exception handler. The end of
 * `run()` and `Runner.close()` do this; a loop run by hand (`runForever()`) does it before
 * `close()`, which does not.
 * @example
 * ```ts
 * await loop.runUntilComplete(shutdownProducers());
 * loop.close();
 * ```
 */
export function shutdownProducers(): Operation<void> {
  return mustAwait(shuttingDown(), "shutdownProducers()");
}

function* shuttingDown(): Coroutine<void> {
  const open = getRunningLoop()._openProducers;
  if (open !== undefined) yield* open._closeAll("shutdownProducers()");
}

/** Each producer's iterator: every reader of one producer reads it through the same. */
const iterators = new WeakMap<object, ProducerIterator<unknown>>();

/**
 * The iterator of a producer (a generator that emits with `yield* emit(item)`), to read
 * it item by item in the task that asks (asyncio's `aiter()` of an async generator, whose
 * items `anext()` takes). The same producer always gives the same iterator; an iterator
 * is given back as it is.
 *
 * @example
 * ```ts
 * const items = aiter(ticks(3)); // one a second
 * try {
 *   const first = yield* timeout(1_500, items.next()); // a deadline for one item
 *   if (!first.done) console.log(first.value);
 * } finally {
 *   yield* items.close();
 * }
 * ```
 */
export function aiter<T>(iterator: ProducerIterator<T>): ProducerIterator<T>;
/**
 * A producer's iterator, typed by what the producer emits (all of it: one that emits
 * numbers and strings gives `number | string`).
 * @example
 * ```ts
 * const items = aiter(ticks(3)); // ProducerIterator<number>
 * ```
 */
export function aiter<Y extends ScopeYielded>(producer: Coroutine<unknown, Y>): ProducerIterator<EmittedItems<Y>>;
export function aiter(producer: Coroutine<unknown, ScopeYielded> | ProducerIterator<unknown>): ProducerIterator<unknown> {
  if (producer instanceof ProducerIterator) return producer;
  if (!isCoroutine(producer)) {
    throw new TypeError(`aiter() needs a producer (call a function* that emits), got ${describe(producer)}`);
  }
  let iterator = iterators.get(producer);
  if (iterator === undefined) {
    iterator = new ProducerIterator(producer as Producer<unknown, unknown>);
    iterators.set(producer, iterator);
  }
  return iterator;
}
