import { AwaitKind, type KnownAwaitable } from "./await-kind.js";
import type { UseYieldStar } from "./coroutine.js";

/**
 * What an operation yields when it is stepped again while it waits, by a second driver
 * of the generator it is in: the generator given to `createTask` twice, or a task's
 * generator also given to `yield*`. asyncio refuses the second await before it starts;
 * a generator cannot tell, so the operation tells. It yields this, rather than throwing
 * (which would go up through the shared generator and end it, with its first task's
 * work): the generator stays where it waits, and the task that gets this fails (see
 * Task's `_park`). `_what` names the wait.
 */
export interface SteppedTwice extends KnownAwaitable {
  readonly _what: string;
}

/** The step result of an operation stepped again while it waits in `what`. */
export function steppedTwice(what: string): IteratorYieldResult<UseYieldStar> {
  const value: SteppedTwice = { _awaitKind: AwaitKind.SteppedTwice, _what: what };
  return { value: value as unknown as UseYieldStar, done: false };
}
