import { eachCallback, Future, type FutureState, UserDoneCallback } from "./future.js";
import type { Linked } from "./linked-list.js";
import type { EventLoop } from "./loop.js";

/**
 * @internal A future that a runtime operation parks its task on, which remembers what the
 * task is waiting for, so that the task tree can say it:
 *
 * - a primitive (a Lock, an Event, a Queue...), described by its `toString()`;
 * - or the futures the operation watches (shield, wait, waitFor, asCompleted): a Future,
 *   or a live collection of them. The tasks among them are the waiting task's children
 *   in the tree;
 * - or nothing more than what `_what` says (the end of a TaskGroup, whose tasks the tree
 *   finds through the group itself).
 *
 * It behaves as a plain Future in every other way. A primitive's waiters are linked into
 * its WaiterQueue through the future itself.
 */
export class WaitingFuture<T> extends Future<T> implements Linked<WaitingFuture<unknown>> {
  /** @internal The operation, as users call it: "acquire()", "put()", "shield()"... */
  readonly _what: string;
  /** @internal A primitive, a future, or a collection of futures (see above); or null. */
  readonly _on: object | null;
  /** @internal Links in the WaiterQueue the task waits in, if any. */
  _prevLinked: WaitingFuture<unknown> | null = null;
  /** @internal */ _nextLinked: WaitingFuture<unknown> | null = null;

  constructor(loop: EventLoop, what: string, on: object | null) {
    super(loop);
    this._what = what;
    this._on = on;
  }

  /**
   * @internal On a closed loop, the tasks parked here are being closed with it (or were):
   * their wake-ups could not be scheduled, and would find no one. They are dropped, so
   * that a `release()` in such a task's cleanup, or in another's, does not fail for them.
   * A done callback of the program's (on a shield's future, which is handed to it) is
   * kept, and refused as any Future's is.
   */
  override _settle(state: FutureState, result: unknown): void {
    if (this._loop.isClosed()) {
      for (const callback of eachCallback(this._callbacks)) {
        if (typeof callback !== "function" && !(callback instanceof UserDoneCallback)) this._removeCallback(callback);
      }
    }
    super._settle(state, result);
  }
}
