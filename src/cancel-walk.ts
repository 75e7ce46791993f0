import type { Future } from "./future.js";

/**
 * A future whose cancellation passes on to other futures: a task to the future it awaits,
 * a gather to its children. When its `_cancelEnter` returns null, {@link cancelThrough}
 * asks each of its children in turn and then lets it conclude.
 */
export interface PassesCancellation {
  /** @internal Takes the request: the answer, or null when the children decide it. */
  _cancelEnter(message: string | undefined): boolean | null;
  /** @internal The child at `index`, or undefined past the last one. */
  _cancelChild(index: number): Future<unknown> | undefined;
  /** @internal Concludes the request once every child was asked: `anyTook` says if one took it. */
  _cancelLeave(message: string | undefined, anyTook: boolean): boolean;
  /** @internal Drops what `_cancelEnter` set up, when a child's cancel() threw. */
  _cancelAbandon?(): void;
}

/**
 * Cancels `root` and, through it, what it waits on, down to the futures that take the
 * cancellation: what a task's cancel() calling its waiter's, and a gather's calling each
 * child's, would do, in the same order, but walked here with a path of its own instead of
 * the call stack. So cancelling the top of thousands of nested gathers and tasks cannot
 * overflow the stack and lose the tasks below (CPython's C tasks overflow at about
 * 50,000, its Python ones at 1,000).
 */
export function cancelThrough(root: PassesCancellation, message: string | undefined): boolean {
  let took = root._cancelEnter(message);
  if (took !== null) return took;
  // The futures above the one being asked, each with its next child and whether a child
  // took the request so far.
  const path: [PassesCancellation, number, boolean][] = [];
  let node = root;
  let next = 0;
  let anyTook = false;
  try {
    for (;;) {
      const child = node._cancelChild(next++) as (Future<unknown> & Partial<PassesCancellation>) | undefined;
      if (child !== undefined) {
        // Any other future (a plain one, a user's subclass) answers with its own cancel().
        took = child._cancelEnter ? child._cancelEnter(message) : child.cancel(message);
        if (took === null) {
          path.push([node, next, anyTook]);
          node = child as PassesCancellation;
          next = 0;
          anyTook = false;
        } else if (took) anyTook = true;
        continue;
      }
      took = node._cancelLeave(message, anyTook);
      const parent = path.pop();
      if (parent === undefined) return took;
      [node, next, anyTook] = parent;
      if (took) anyTook = true;
    }
  } catch (error) {
    // A user's cancel() threw. In asyncio that exception unwinds the nested cancel()
    // calls, and each leaves its future as it was (its request counted, nothing more).
    // So every future on the path drops its part of the walk, or a later cancel() would
    // take it for a cycle and stop short of what it awaits.
    node._cancelAbandon?.();
    for (const [above] of path) above._cancelAbandon?.();
    throw error;
  }
}
