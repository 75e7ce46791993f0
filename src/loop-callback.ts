import type { RefusedReturn } from "./refused-return.js";

/**
 * A callback of `callSoon`, `callLater` and `callAt`, called with `args` of types `A`.
 * One that returns an iterator is a `function*`: calling it only makes a generator, so
 * none of its body would run, silently. The intersection with a message makes that a
 * compile error that says what to write instead (see {@link RefusedReturn}). A plain or
 * async function passes (an async one runs; its promise is not awaited).
 */
export type LoopCallback<A extends unknown[], R> = ((...args: A) => R) &
  RefusedReturn<R, Iterator<unknown>, "a function* as a loop callback would run nothing: use createTask for a function*">;
