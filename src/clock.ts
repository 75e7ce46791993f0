/**
 * Where the loop reads time from. The loop asks nothing else of it, so tests and
 * simulations swap the real clock for a virtual one without touching any global.
 */
export interface Clock {
  /** Milliseconds since the loop was created. */
  now(): number;
}

/** Wall-clock time from `performance.now()`, in ms since the loop was created. */
export class RealClock implements Clock {
  private readonly _origin = performance.now();
  now(): number {
    return performance.now() - this._origin;
  }
}

/**
 * Time that moves only when the loop moves it: when no callback is ready, the loop jumps
 * it straight to the next deadline. Starts at 0.
 */
export class VirtualClock implements Clock {
  private _t = 0;
  now(): number {
    return this._t;
  }
  /** Moves time forward to `t` (never backward). */
  advanceTo(t: number): void {
    if (t > this._t) this._t = t;
  }
}
