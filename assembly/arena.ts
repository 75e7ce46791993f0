// The core's linear memory, laid out as contiguous regions that grow in place:
//
//   __heap_base
//   │ out buffer  │ in buffer   │ ready ring │ timer positions │ timer heap │ top
//   │ OUT_CAPACITY│ IN_CAPACITY │ ringBytes  │ posBytes        │ heapBytes  │
//     i32 ids       i32 ids       i32 ids      i32 per id        24 B per entry
//
// The out and in buffers never move, so the host finds each with one export: it reads
// batches of ready ids from the out buffer and writes batches of new ready ids into the
// in buffer, crossing the boundary once per batch instead of once per id. Growing a region shifts every region after it up with one memory.copy
// (memmove semantics), so nothing is ever leaked and no allocator is needed. Pointers
// into a region are therefore only valid until the next call that may grow memory:
// callers recompute them from the globals below instead of caching them.

export const OUT_CAPACITY: i32 = 1024;
export const IN_CAPACITY: i32 = 1024;

export const enum Region {
  Ring = 0,
  Pos = 1,
  Heap = 2,
}

const BASE: usize = (__heap_base + 15) & ~(<usize>15);

export const outPtr: usize = BASE;
export const inPtr: usize = BASE + (<usize>OUT_CAPACITY << 2);
export let ringPtr: usize = 0;
export let posPtr: usize = 0;
export let heapPtr: usize = 0;
let ringBytes: usize = 0;
let posBytes: usize = 0;
let heapBytes: usize = 0;
let top: usize = 0;

/** Pages the memory may grow to; 0 means the Wasm limit of 65,536 pages (4 GiB). */
let pageLimit: i32 = 0;

export function setPageLimit(pages: i32): void {
  pageLimit = pages;
}

/** Lays out the regions with their initial sizes. Returns false if memory cannot hold them. */
export function initArena(initialRing: usize, initialPos: usize, initialHeap: usize): bool {
  ringPtr = inPtr + (<usize>IN_CAPACITY << 2);
  ringBytes = initialRing;
  posPtr = ringPtr + ringBytes;
  posBytes = initialPos;
  heapPtr = posPtr + posBytes;
  heapBytes = initialHeap;
  top = heapPtr + heapBytes;
  return reserve(top);
}

/** Makes sure memory reaches `end` bytes, growing it if needed and allowed. */
function reserve(end: usize): bool {
  const needPages = <i32>((end + 0xffff) >>> 16);
  const havePages = memory.size();
  if (needPages <= havePages) return true;
  if (pageLimit > 0 && needPages > pageLimit) return false;
  return memory.grow(needPages - havePages) >= 0;
}

/**
 * Grows one region to `newBytes`, moving every later region up. Returns false, and
 * changes nothing, when memory cannot grow.
 */
export function growRegion(region: Region, newBytes: usize): bool {
  let start: usize;
  let size: usize;
  if (region == Region.Ring) {
    start = ringPtr;
    size = ringBytes;
  } else if (region == Region.Pos) {
    start = posPtr;
    size = posBytes;
  } else {
    start = heapPtr;
    size = heapBytes;
  }
  const delta = newBytes - size;
  const end = start + size;
  if (!reserve(top + delta)) return false;
  memory.copy(end + delta, end, top - end);
  top += delta;
  if (region == Region.Ring) {
    ringBytes = newBytes;
    posPtr += delta;
    heapPtr += delta;
  } else if (region == Region.Pos) {
    posBytes = newBytes;
    heapPtr += delta;
  } else {
    heapBytes = newBytes;
  }
  return true;
}
