import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import { WaiterQueue } from "./waiter-queue.js";

/**
 * What {@link boundLoop} keeps on a primitive: the loop its waiters belong to. Public
 * classes implement it, so it stays in the declarations; its member does not.
 */
export interface LoopBound {
  /** @internal Null until the first time the primitive has to park a task. */
  _loop: EventLoop | null;
}

/**
 * @internal The running loop, after checking it is the one `owner` is bound to. Like
 * asyncio's `_LoopBoundMixin`, a primitive binds to a loop only when it first parks a
 * task: one built outside any loop works, and one shared between two loops fails loudly
 * instead of handing a task a future it cannot await.
 */
export function boundLoop(owner: LoopBound, what: string): EventLoop {
  const loop = getRunningLoop();
  if (owner._loop === null) owner._loop = loop;
  else if (owner._loop !== loop) {
    throw new RuntimeError(`${what} is bound to a different event loop (the first that waited on it): runs that share one must share a loop`);
  }
  return loop;
}

/** A primitive whose waiting tasks park on futures in a {@link WaiterQueue} (members internal). */
export interface Queued extends LoopBound {
  /** @internal */
  _waiters: WaiterQueue | null;
}

/** @internal Parks the running task last in `primitive`'s queue: returns its new waiter future. */
export function parkIn(primitive: Queued, what: string): WaitingFuture<void> {
  const waiter = new WaitingFuture<void>(boundLoop(primitive, what), "acquire()", primitive);
  (primitive._waiters ??= new WaiterQueue()).add(waiter);
  return waiter;
}
