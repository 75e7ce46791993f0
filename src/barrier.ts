import type { Yielded } from "./coroutine.js";
import { Condition } from "./condition.js";
import { BrokenBarrierError, refusedNumber, ValueError } from "./errors.js";
import { describe } from "./describe.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { Shown } from "./inspect-hook.js";

/**
 * Where a barrier is in its cycle. Filling: tasks arrive and wait. Draining: the last
 * one arrived and the waiters are leaving; newcomers wait for the next cycle. Resetting:
 * reset() was called with tasks inside; they leave with BrokenBarrierError, and the
 * barrier fills again once they are out. Broken: abort() was called; every wait fails.
 */
const enum BarrierState {
  Filling = 0,
  Draining = 1,
  Resetting = 2,
  Broken = 3,
}

const STATE_NAMES = ["filling", "draining", "resetting", "broken"] as const;

/**
 * Makes a fixed number of tasks wait for each other (asyncio.Barrier): each wait()
 * blocks until `parties` tasks are waiting, then they all go on, and the barrier is ready
 * for the next round. The last task to arrive goes on first, then the others in the
 * order they arrived.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * function* worker(id: number) {
 *   yield* prepare(id);
 *   const index = yield* barrier.wait(); // 0, 1 or 2: the order of arrival
 *   yield* go(id);
 * }
 * ```
 */
export class Barrier extends Shown {
  /** @internal Guards the state and signals its changes: every change is a notifyAll. */
  readonly _cond = new Condition();
  /** @internal */ readonly _parties: number;
  /** @internal */ _state = BarrierState.Filling;
  /** @internal Tasks inside wait(): arrived and not yet left. */
  _count = 0;

  /**
   * @param parties how many tasks must wait before they all go on.
   * @throws ValueError if `parties` is less than 1.
   * @example
   * ```ts
   * const barrier = new Barrier(2);
   * ```
   */
  constructor(parties: number) {
    super();
    // A TypeError for what is no number (as asyncio), a ValueError for a number that is no
    // count of tasks (asyncio takes 1.5).
    if (typeof parties !== "number" || !Number.isInteger(parties)) {
      throw refusedNumber(parties, `new Barrier(): parties must be an integer, got ${describe(parties)}`, ValueError);
    }
    if (parties < 1) throw new ValueError(`new Barrier(): parties must be > 0, got ${parties}`);
    this._parties = parties;
  }

  /**
   * Waits until `parties` tasks are waiting, and returns this task's arrival index,
   * from 0 to parties - 1. A task arriving while the previous round is still leaving
   * waits for the next round.
   *
   * @throws BrokenBarrierError if the barrier is aborted, or reset while this task waits.
   * @example
   * ```ts
   * const index = yield* barrier.wait();
   * if (index === 0) console.log("first to arrive");
   * ```
   */
  wait(): Operation<number> {
    return mustAwait(this._arrive(), "wait()", this);
  }

  /** @internal */
  *_arrive(): Generator<Yielded, number, unknown> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      yield* this._block();
      try {
        const index = this._count++;
        if (index + 1 === this._parties) this._release();
        else yield* this._fill();
        return index;
      } finally {
        this._count--;
        this._exit();
      }
    } finally {
      cond.release();
    }
  }

  /** Waits out a draining or resetting round; fails if the barrier is broken. */
  private *_block(): Generator<Yielded, void, unknown> {
    yield* this._cond._waitFor(() => this._state !== BarrierState.Draining && this._state !== BarrierState.Resetting, this);
    if (this._state === BarrierState.Broken) throw new BrokenBarrierError("Barrier aborted");
  }

  /** The last party arrived: let everyone go. */
  private _release(): void {
    this._state = BarrierState.Draining;
    this._cond.notifyAll();
  }

  /** Waits for the round to fill; fails if it is reset or aborted instead. */
  private *_fill(): Generator<Yielded, void, unknown> {
    yield* this._cond._waitFor(() => this._state !== BarrierState.Filling, this);
    if (this._state === BarrierState.Broken || this._state === BarrierState.Resetting) {
      throw new BrokenBarrierError("Abort or reset of barrier");
    }
  }

  /** The last task out of a draining or resetting round opens the next one. */
  private _exit(): void {
    if (this._count !== 0) return;
    if (this._state === BarrierState.Resetting || this._state === BarrierState.Draining) {
      this._state = BarrierState.Filling;
    }
    this._cond.notifyAll();
  }

  /**
   * Returns the barrier to its initial state. Tasks waiting in it get BrokenBarrierError;
   * tasks that arrive after they have left start a fresh round. Waits for the barrier's
   * internal lock, hence a coroutine, as in asyncio.
   *
   * @example
   * ```ts
   * yield* barrier.reset();
   * ```
   */
  reset(): Operation<void> {
    return mustAwait(this._reset(), "reset()", this);
  }

  /** @internal */
  *_reset(): Generator<Yielded, void, unknown> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      if (this._count > 0) {
        this._state = BarrierState.Resetting;
      } else {
        this._state = BarrierState.Filling;
      }
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * Breaks the barrier for good: tasks waiting in it, and every later wait(), get
   * BrokenBarrierError (until reset()). Use it when a party fails and the others must
   * not wait for it forever.
   *
   * @example
   * ```ts
   * try { yield* step(); } catch (error) { yield* barrier.abort(); throw error; }
   * ```
   */
  abort(): Operation<void> {
    return mustAwait(this._abort(), "abort()", this);
  }

  /** @internal */
  *_abort(): Generator<Yielded, void, unknown> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      this._state = BarrierState.Broken;
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * How many tasks must wait before they all go on.
   *
   * @example
   * ```ts
   * new Barrier(4).parties; // 4
   * ```
   */
  get parties(): number {
    return this._parties;
  }

  /**
   * How many tasks are waiting for the current round to fill (0 while it drains).
   *
   * @example
   * ```ts
   * console.log(`${barrier.nWaiting}/${barrier.parties} arrived`);
   * ```
   */
  get nWaiting(): number {
    return this._state === BarrierState.Filling ? this._count : 0;
  }

  /**
   * True once the barrier was aborted (and not reset since).
   *
   * @example
   * ```ts
   * if (barrier.broken) yield* barrier.reset();
   * ```
   */
  get broken(): boolean {
    return this._state === BarrierState.Broken;
  }

  /**
   * The state and the number of waiting tasks, for logs and debugging (asyncio's repr).
   *
   * @example
   * ```ts
   * String(barrier); // "<Barrier [filling, waiters:1/3]>"
   * ```
   */
  override toString(): string {
    const extra = this.broken ? "" : `, waiters:${this.nWaiting}/${this._parties}`;
    return `<Barrier [${STATE_NAMES[this._state]}${extra}]>`;
  }
}
