/**
 * A function type's refusal of a kind of result, as a compile error that says why: a
 * callback type intersected with this is `unknown` (no constraint) for results that are
 * not `Bad`, and the string `Message` for those that are, so the argument fails to type-
 * check with the message in the error. A result that may be `Bad` is refused too (`flag ?
 * save(x) : undefined`, where `save` returns a promise): the run time refuses it when it
 * comes. A function returning `any` passes, and so does one returning `never` (it always
 * throws).
 *
 * Used where the run time would take the wrong kind of function silently or refuse it
 * late: a `function*` as a loop callback, an async body of `forAwait`.
 *
 * @example
 * ```ts
 * type Body<R> = (() => R) & RefusedReturn<R, PromiseLike<unknown>, "use a function*">;
 * ```
 */
export type RefusedReturn<R, Bad, Message extends string> = [R] extends [never]
  ? unknown
  : 0 extends 1 & R
    ? unknown
    : true extends (R extends Bad ? true : false)
      ? Message
      : unknown;
