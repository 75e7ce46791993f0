// The ABI of the wasyncio scheduler core. Numbers only (i32 and f64), no imports.
//
// The core owns ordering; the host owns closures. The host gives every callback an id
// (a small non-negative integer it recycles), keeps `id -> callback` in its own table,
// and tells the core only ids and deadlines. Each call below is one signature and one
// sentence; status codes are documented per export.
//
//   init(): i32                      Lays out memory; 1 on success, 0 if memory cannot hold it. Call once.
//   outPointer(): usize              Byte offset of the out buffer that readyTake fills.
//   outCapacity(): i32               How many ids the out buffer holds (the largest batch).
//   setPageLimit(pages: i32): void   Caps memory at `pages` 64 KiB pages (0: no cap but Wasm's own).
//   timerAdd(id, deadline): i32      Schedules timer `id`; 1 ok, 0 out of memory, -1 bad or duplicate id.
//   timerCancel(id): i32             Removes timer `id` if it is still pending; 1 removed, 0 not pending.
//   timerNext(): f64                 Earliest pending deadline, or +Infinity when there is none.
//   timerDeadline(id): f64           The deadline of timer `id`, or NaN when it is not pending.
//   timerCount(): i32                How many timers are pending.
//   expire(now: f64): i32            Moves every timer due at or before `now` to the ready ring, in
//                                    (deadline, insertion) order; returns how many, or -1 out of memory.
//   inPointer(): usize               Byte offset of the in buffer that readyCommit reads.
//   inCapacity(): i32                How many ids the in buffer holds.
//   readyCommit(n: i32): i32         Appends in[0, n) to the ready ring, in order; returns how many fit
//                                    (fewer than n only when memory cannot grow).
//   readyCount(): i32                How many ids wait in the ready ring.
//   readyTake(max: i32): i32         Moves up to min(max, outCapacity) ids from the ring's front into the
//                                    out buffer, in order; returns how many.

import { IN_CAPACITY, initArena, inPtr, outPtr, OUT_CAPACITY } from "./arena";
import { RING_INITIAL_CAPACITY } from "./ready-ring";
import { HEAP_INITIAL_CAPACITY, initPositions, POS_INITIAL_CAPACITY } from "./timer-heap";

export { setPageLimit } from "./arena";
export { readyCommit, readyCount, readyTake } from "./ready-ring";
export { timerCancel, timerCount, timerDeadline, timerNext, expire, timerAdd } from "./timer-heap";

export function init(): i32 {
  if (
    !initArena(
      <usize>RING_INITIAL_CAPACITY << 2,
      <usize>POS_INITIAL_CAPACITY << 2,
      <usize>HEAP_INITIAL_CAPACITY * 24,
    )
  ) {
    return 0;
  }
  initPositions();
  return 1;
}

export function outPointer(): usize {
  return outPtr;
}

export function outCapacity(): i32 {
  return OUT_CAPACITY;
}

export function inPointer(): usize {
  return inPtr;
}

export function inCapacity(): i32 {
  return IN_CAPACITY;
}

