/**
 * The interface both scheduler cores implement: the Wasm one compiled from
 * `assembly/`, and the TypeScript one in `js-core.ts`. It mirrors the Wasm ABI export
 * for export (see `assembly/index.ts`), except that out-of-memory comes back as a thrown
 * {@link CoreMemoryError} instead of a status code.
 *
 * The core stores only numbers. The host gives each callback an id and keeps the
 * callbacks; the core keeps timers ordered by (deadline, insertion) and a FIFO ring of
 * ready ids.
 *
 * The loop is the only caller, and keeps to what both cores take: ids are integers in
 * [0, 2^31), deadlines and `now` are numbers other than NaN (Infinity is one), and
 * `max` is a non-negative integer. Neither core checks this on its hot path, and outside
 * it they differ (the Wasm ABI reads an id as an i32, a NaN deadline compares false
 * either way round): `test/core.test.ts` holds them to the same results within it.
 */
export interface SchedulerCore {
  /** Which implementation this is. */
  readonly kind: "wasm" | "js";
  /** The largest batch {@link readyTake} returns. */
  readonly outCapacity: number;
  /** Schedules timer `id` at `deadline`. The id must not have a pending timer. */
  timerAdd(id: number, deadline: number): void;
  /** Removes timer `id` if it is still pending; false when it is not (fired or never added). */
  timerCancel(id: number): boolean;
  /** The earliest pending deadline, or `Infinity`. */
  timerNext(): number;
  /** The deadline of timer `id`, or NaN when it is not pending (for inspection, not the loop). */
  timerDeadline(id: number): number;
  /** How many timers are pending. */
  timerCount(): number;
  /** Moves every timer due at or before `now` to the ready ring, in order; returns how many. */
  expire(now: number): number;
  /** Appends `id` to the ready ring. */
  readyPush(id: number): void;
  /** How many ids wait in the ready ring. */
  readyCount(): number;
  /** Moves up to `max` (and at most {@link outCapacity}) ids from the ring into {@link out}. */
  readyTake(max: number): number;
  /** The ids of the last {@link readyTake}, at [0, n). Valid until the next call into the core. */
  out(): Int32Array;
}

/**
 * The core could not grow its memory to hold another timer or ready callback. The call
 * that needed the room throws it (`callSoon`, `callLater`, `createTask`, ...) and
 * schedules nothing; what the core holds already runs as before, and the loop goes on.
 * @example
 * ```ts
 * try {
 *   loop.callSoon(flush);
 * } catch (error) {
 *   if (error instanceof CoreMemoryError) shedLoad(); else throw error;
 * }
 * ```
 */
export class CoreMemoryError extends RangeError {
  constructor(what: string) {
    super(`wasyncio: the ${what} core ran out of memory (it could not grow to hold more timers or ready callbacks)`);
    this.name = "CoreMemoryError";
  }
}
