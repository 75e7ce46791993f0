import { describe } from "./describe.js";
import { EventLoop } from "./loop.js";
import { noRunningLoop, running } from "./running.js";

/**
 * The loop a function was given, or the running one when none was (left out, or `null`
 * as asyncio's `loop=None`). Anything else is refused by name, rather than failing
 * inside on a property it lacks. Called outside any loop with none given (a signal
 * handler printing the task tree, `enableDebug()` before `run()`), asyncio's "no running
 * event loop" says which function it was and how to give it one.
 */
export function loopArgument(loop: EventLoop | null | undefined, what: string): EventLoop {
  if (loop == null) {
    const runningLoop = running.loop;
    if (runningLoop === null) throw noRunningLoop(`: ${what} was called outside a loop's tasks and callbacks, with no loop given`);
    return runningLoop;
  }
  if (!(loop instanceof EventLoop)) throw new TypeError(`${what} needs an EventLoop, got ${describe(loop)}`);
  return loop;
}
