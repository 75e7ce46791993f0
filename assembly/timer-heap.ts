// A binary min-heap of timers ordered by (deadline, sequence), with indexed removal.
//
// Entry layout, 24 bytes:   0: deadline f64 │ 8: sequence f64 │ 16: id i32 │ 20: unused
//
// The sequence number is a per-core insertion counter, so timers with equal deadlines
// come out in the order they were added. It is an f64 so it stays exact for 2^53
// insertions (a u32 would wrap after a few hours of a busy server).
//
// pos[id] holds the heap index of timer `id`, or -1 when `id` has no pending timer.
// Cancellation removes the entry at once (swap with the last one, sift), so a cancelled
// timer can never fire and its id is free the moment the host gets the answer.

import { growRegion, heapPtr, posPtr, Region } from "./arena";
import { readyPush } from "./ready-ring";

export const HEAP_INITIAL_CAPACITY: i32 = 1024;
export const POS_INITIAL_CAPACITY: i32 = 1024;
const ENTRY_BYTES: usize = 24;

let heapCapacity: i32 = HEAP_INITIAL_CAPACITY;
let posCapacity: i32 = POS_INITIAL_CAPACITY;
let size: i32 = 0;
let nextSequence: f64 = 0;

@inline function entry(i: i32): usize {
  return heapPtr + <usize>i * ENTRY_BYTES;
}

@inline function posOf(id: i32): usize {
  return posPtr + (<usize>id << 2);
}

@inline function earlier(d1: f64, s1: f64, d2: f64, s2: f64): bool {
  return d1 < d2 || (d1 == d2 && s1 < s2);
}

@inline function place(i: i32, deadline: f64, sequence: f64, id: i32): void {
  const e = entry(i);
  store<f64>(e, deadline);
  store<f64>(e, sequence, 8);
  store<i32>(e, id, 16);
  store<i32>(posOf(id), i);
}

export function timerCount(): i32 {
  return size;
}

export function timerNext(): f64 {
  return size > 0 ? load<f64>(entry(0)) : Infinity;
}

/** 1: added; 0: out of memory; -1: bad id or the id already has a pending timer. */
export function timerAdd(id: i32, deadline: f64): i32 {
  if (id < 0) return -1;
  if (id >= posCapacity && !growPositions(id)) return 0;
  if (load<i32>(posOf(id)) >= 0) return -1;
  if (size == heapCapacity && !growHeap()) return 0;
  const sequence = nextSequence;
  nextSequence += 1;
  siftUp(size++, deadline, sequence, id);
  return 1;
}

/** 1: the pending timer was removed; 0: `id` had no pending timer. */
export function timerCancel(id: i32): i32 {
  if (id < 0 || id >= posCapacity) return 0;
  const i = load<i32>(posOf(id));
  if (i < 0) return 0;
  store<i32>(posOf(id), -1);
  removeAt(i);
  return 1;
}

/** The deadline of timer `id`, or NaN when `id` has no pending timer. */
export function timerDeadline(id: i32): f64 {
  if (id < 0 || id >= posCapacity) return NaN;
  const i = load<i32>(posOf(id));
  return i < 0 ? NaN : load<f64>(entry(i));
}

/**
 * Moves every timer whose deadline is <= now to the ready ring, earliest first (ties in
 * insertion order). All of them move in this one call: a timer due at the same instant as
 * another always lands in the same loop iteration. Returns how many moved, or -1 when the
 * ring could not grow (the timer that did not fit stays in the heap).
 */
export function expire(now: f64): i32 {
  let moved = 0;
  while (size > 0) {
    const first = entry(0);
    if (load<f64>(first) > now) break;
    const id = load<i32>(first, 16);
    if (!readyPush(id)) return -1;
    store<i32>(posOf(id), -1);
    removeAt(0);
    moved++;
  }
  return moved;
}

function removeAt(i: i32): void {
  const last = --size;
  if (i == last) return;
  const e = entry(last);
  const d = load<f64>(e);
  const s = load<f64>(e, 8);
  const id = load<i32>(e, 16);
  if (i > 0) {
    const p = entry((i - 1) >> 1);
    if (earlier(d, s, load<f64>(p), load<f64>(p, 8))) {
      siftUp(i, d, s, id);
      return;
    }
  }
  siftDown(i, d, s, id);
}

// Both sifts carry the moving entry in locals and write it once at its final slot.
function siftUp(i: i32, d: f64, s: f64, id: i32): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = entry(parent);
    const pd = load<f64>(p);
    const ps = load<f64>(p, 8);
    if (!earlier(d, s, pd, ps)) break;
    place(i, pd, ps, load<i32>(p, 16));
    i = parent;
  }
  place(i, d, s, id);
}

function siftDown(i: i32, d: f64, s: f64, id: i32): void {
  const n = size;
  while (true) {
    let child = (i << 1) + 1;
    if (child >= n) break;
    let c = entry(child);
    let cd = load<f64>(c);
    let cs = load<f64>(c, 8);
    const right = child + 1;
    if (right < n) {
      const r = entry(right);
      const rd = load<f64>(r);
      const rs = load<f64>(r, 8);
      if (earlier(rd, rs, cd, cs)) {
        child = right;
        c = r;
        cd = rd;
        cs = rs;
      }
    }
    if (!earlier(cd, cs, d, s)) break;
    place(i, cd, cs, load<i32>(c, 16));
    i = child;
  }
  place(i, d, s, id);
}

function growHeap(): bool {
  const newCapacity = heapCapacity << 1;
  if (!growRegion(Region.Heap, <usize>newCapacity * ENTRY_BYTES)) return false;
  heapCapacity = newCapacity;
  return true;
}

function growPositions(id: i32): bool {
  let newCapacity = posCapacity;
  while (newCapacity <= id) newCapacity <<= 1;
  if (!growRegion(Region.Pos, <usize>newCapacity << 2)) return false;
  // New slots mean "no pending timer" (-1 is all bits set).
  memory.fill(posOf(posCapacity), 0xff, <usize>(newCapacity - posCapacity) << 2);
  posCapacity = newCapacity;
  return true;
}

/** Marks every initial position slot empty. */
export function initPositions(): void {
  memory.fill(posPtr, 0xff, <usize>posCapacity << 2);
}
