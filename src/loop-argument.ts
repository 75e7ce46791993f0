import { describe } from "./errors.js";
import { EventLoop } from "./loop.js";
import { getRunningLoop } from "./running.js";

/**
 * The loop a function was given, or the running one when none was (left out, or `null`
 * as asyncio's `loop=None`). Anything else is refused by name, rather than failing
 * inside on a property it lacks.
 */
export function loopArgument(loop: EventLoop | null | undefined, what: string): EventLoop {
  if (loop == null) return getRunningLoop();
  if (!(loop instanceof EventLoop)) throw new TypeError(`${what} needs an EventLoop, got ${describe(loop)}`);
  return loop;
}
