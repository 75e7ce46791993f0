/**
 * What a task can park on, read in one property load from the yielded value's prototype.
 * A task's step asks this of every value its coroutine yields; two `instanceof` checks,
 * one of which fails, cost a Future ping-pong switch 16% more (measured).
 */
export const enum AwaitKind {
  Future = 1,
  Sleep = 2,
  SteppedTwice = 3,
}

/** Has an {@link AwaitKind}: Future (and Task), SleepOp and SteppedTwice. */
export interface KnownAwaitable {
  /** @internal */
  readonly _awaitKind: AwaitKind;
}
