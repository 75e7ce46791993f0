/**
 * The end of an await that produced no value, shared: most awaits (sleep, Future<void>)
 * end this way, and an iterator result costs an allocation on every resume otherwise.
 * Frozen, since everyone holds the same object.
 */
export const DONE_UNDEFINED: IteratorReturnResult<undefined> = /* @__PURE__ */ Object.freeze({ value: undefined, done: true });

/** `{ value, done: true }`, without allocating when `value` is undefined. */
export function doneWith<T>(value: T): IteratorReturnResult<T> {
  return value === undefined ? (DONE_UNDEFINED as IteratorReturnResult<T>) : { value, done: true };
}

/** The end of an acquire that took what it waited for (`yield* lock.acquire()` is true). */
export const ACQUIRED: IteratorReturnResult<true> = /* @__PURE__ */ Object.freeze({ value: true, done: true });
