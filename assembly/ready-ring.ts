// A growable FIFO ring of ready callback ids. Capacity is a power of two so that
// wrapping is a mask; growing doubles it and unwraps the entries that had wrapped.

import { growRegion, IN_CAPACITY, inPtr, outPtr, OUT_CAPACITY, Region, ringPtr } from "./arena";

export const RING_INITIAL_CAPACITY: i32 = 1024;

let capacity: i32 = RING_INITIAL_CAPACITY;
let head: i32 = 0;
let count: i32 = 0;

export function readyCount(): i32 {
  return count;
}

/** Appends an id. Returns false when memory cannot grow to hold it. */
export function readyPush(id: i32): bool {
  if (count == capacity && !grow()) return false;
  store<i32>(ringPtr + (<usize>((head + count) & (capacity - 1)) << 2), id);
  count++;
  return true;
}

/**
 * Appends the first `n` ids of the in buffer, in order. Returns false when memory cannot
 * grow to hold them all; the ids that fit were appended and the rest were not.
 */
export function readyCommit(n: i32): i32 {
  if (n > IN_CAPACITY) n = IN_CAPACITY;
  for (let i = 0; i < n; i++) {
    if (!readyPush(load<i32>(inPtr + (<usize>i << 2)))) return i;
  }
  return n;
}

/** Moves up to `max` ids from the front of the ring into the out buffer; returns how many. */
export function readyTake(max: i32): i32 {
  let n = max < count ? max : count;
  if (n > OUT_CAPACITY) n = OUT_CAPACITY;
  if (n <= 0) return 0;
  const firstRun = capacity - head < n ? capacity - head : n;
  memory.copy(outPtr, ringPtr + (<usize>head << 2), <usize>firstRun << 2);
  if (firstRun < n) {
    memory.copy(outPtr + (<usize>firstRun << 2), ringPtr, <usize>(n - firstRun) << 2);
  }
  head = (head + n) & (capacity - 1);
  count -= n;
  return n;
}

function grow(): bool {
  const oldCapacity = capacity;
  if (!growRegion(Region.Ring, <usize>oldCapacity << 3)) return false;
  // The ring is full, so its entries run from head to the end and then from 0 to head.
  // Moving the wrapped part [0, head) to just after the old end makes them contiguous.
  if (head > 0) {
    memory.copy(ringPtr + (<usize>oldCapacity << 2), ringPtr, <usize>head << 2);
  }
  capacity = oldCapacity << 1;
  return true;
}
