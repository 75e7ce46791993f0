// The checks of the times a program passes in milliseconds (delays, timeouts, deadlines,
// durations), shared by the loop and every operation that takes one.
import { describe } from "./describe.js";

/**
 * Checks a delay in ms: a number, not NaN. Negative is a deadline in the past (due now);
 * Infinity means "never". `quantity` names it in the message: "the time" for a loop time.
 */
export function checkDelay(ms: unknown, what: string, quantity = "the delay"): number {
  if (typeof ms !== "number") {
    throw new TypeError(`${what}: ${quantity} must be a number of milliseconds, got ${describe(ms)}`);
  }
  if (ms !== ms) throw new RangeError(`${what}: ${quantity} is NaN; it must be a number of milliseconds`);
  return ms;
}

/**
 * Checks a threshold or a duration in ms, as {@link checkDelay}, and that it is not
 * negative: unlike a delay, where less than 0 is a deadline passed, it would mean nothing.
 */
export function checkDuration(ms: unknown, what: string): number {
  if (checkDelay(ms, what, "the duration") < 0) throw new RangeError(`${what} is ${ms} ms; it must be 0 or more`);
  return ms as number;
}

/**
 * Checks a timeout in ms, as {@link checkDelay}; `quantity` is "the deadline" for a loop
 * time. A null, which is what asyncio's `None` (no timeout) becomes in a port, is told
 * that Infinity is how to say it here.
 */
export function checkTimeout(ms: unknown, what: string, quantity = "the timeout"): number {
  if (ms === null) {
    throw new TypeError(`${what}: ${quantity} must be a number of milliseconds, got null (Infinity means no timeout)`);
  }
  return checkDelay(ms, what, quantity);
}
