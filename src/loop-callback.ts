/**
 * A callback of `callSoon`, `callLater` and `callAt`, called with `args` of types `A`.
 * One that returns an iterator is a `function*`: calling it only makes a generator, so
 * none of its body would run, silently. The intersection with a message makes that a
 * compile error that says what to write instead. A plain or async function passes (an
 * async one runs; its promise is not awaited), and so does one returning `any` (the
 * check is distributive) or `never` (one that always throws).
 */
export type LoopCallback<A extends unknown[], R> = ((...args: A) => R) &
  ([R] extends [never]
    ? unknown
    : R extends Iterator<unknown>
      ? "a function* as a loop callback would run nothing: use createTask for a function*"
      : unknown);
