import type { EventLoop } from "./loop.js";
import { functionName } from "./describe.js";
import { callInContext, type ContextHolder, currentContext } from "./running.js";
import { followCallbackPromise } from "./loop-callback.js";
import { Shown } from "./inspect-hook.js";

/** Anything the loop can put in its id table and later call. Only the loop calls `_run`. */
export interface Runnable {
  /** @internal */
  _run(): void;
}

const RAN = -1;
const CANCELLED = -2;

/**
 * A callback scheduled with `callSoon`, returned so that it can be cancelled.
 *
 * @example
 * ```ts
 * const handle = loop.callSoon(() => console.log("never printed"));
 * handle.cancel();
 * ```
 */
export class Handle extends Shown implements Runnable, ContextHolder {
  /** @internal The id the loop gave this callback while it is scheduled; RAN or CANCELLED after. */
  _id = RAN;
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ _callback: ((...args: any[]) => unknown) | null;
  /** @internal */ _args: unknown[] | undefined;
  /** @internal The context the callback was scheduled from; it runs in (a copy of) it. */
  _context: ReadonlyMap<object, unknown>;

  constructor(loop: EventLoop, callback: (...args: any[]) => unknown, args: unknown[] | undefined) {
    super();
    this._loop = loop;
    this._callback = callback;
    this._args = args;
    this._context = currentContext();
  }

  /**
   * Stops the callback from running. Does nothing if it already ran.
   * @example
   * ```ts
   * const handle = loop.callSoon(work);
   * handle.cancel(); // work never runs
   * ```
   */
  cancel(): void {
    if (this._id >= 0) this._loop._unschedule(this._id);
    this._id = CANCELLED;
    this._callback = null;
    this._args = undefined;
  }

  /**
   * True once {@link cancel} was called.
   * @example
   * ```ts
   * handle.cancel();
   * handle.cancelled(); // true
   * ```
   */
  cancelled(): boolean {
    return this._id === CANCELLED;
  }

  /** @internal */
  _run(): void {
    const callback = this._callback;
    if (callback === null) return;
    this._id = RAN;
    const returned = callInContext(this, callback, this._args);
    // Most callbacks return nothing: no closure is made for them.
    if (returned !== undefined) followCallbackPromise(this._loop, returned, (error) => this._loop._callbackFailed(this, error));
  }

  /**
   * `<Handle name>`, or `<TimerHandle cancelled>` once cancelled, for messages and logs.
   * @example
   * ```ts
   * String(loop.callSoon(function tick() {})); // "<Handle tick>"
   * ```
   */
  override toString(): string {
    // A cancelled handle let go of its callback: it is `<Handle cancelled>`, as asyncio's.
    // (Not constructor.name, which minifiers rename.)
    const what = this.cancelled() ? "cancelled" : functionName(this._callback!) || "callback";
    return `<${this instanceof TimerHandle ? "TimerHandle" : "Handle"} ${what}>`;
  }
}

/**
 * A callback scheduled with `callLater` or `callAt`.
 *
 * @example
 * ```ts
 * const handle = loop.callLater(500, () => console.log("half a second later"));
 * console.log(handle.when()); // loop.time() + 500
 * ```
 */
export class TimerHandle extends Handle {
  private readonly _when: number;

  constructor(loop: EventLoop, when: number, callback: (...args: any[]) => unknown, args: unknown[] | undefined) {
    super(loop, callback, args);
    this._when = when;
  }

  /**
   * The loop time (ms) at which the callback is due.
   * @example
   * ```ts
   * loop.callAt(1_000, tick).when(); // 1000
   * ```
   */
  when(): number {
    return this._when;
  }
}
