/**
 * Memory and time readings taken inside a benchmark child process. Each (workload,
 * system) pair runs in its own process, so these numbers belong to one system only.
 */
import { readFileSync, writeFileSync } from "node:fs";

const gcFn = (globalThis as { gc?: () => void }).gc;

/** A full collection (children run with --expose-gc), twice so weak and finalized garbage goes too. */
export function fullGc(): void {
  if (gcFn === undefined) throw new Error("run the benchmark child with --expose-gc");
  gcFn();
  gcFn();
}

function statusKb(field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size of this process so far, in bytes (VmHWM; maxRSS where /proc is missing). */
export function peakRss(): number {
  return statusKb("VmHWM") ?? process.resourceUsage().maxRSS * 1024;
}

/** Current resident set size, in bytes. */
export function currentRss(): number {
  return process.memoryUsage.rss();
}

/**
 * Resets the peak RSS to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`), so that
 * the peak read at the end is the workload's and not tsx's start-up compilation. Returns
 * false where that is not possible; the peak then covers the whole process.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * Bytes held by the JS heap plus off-heap memory that V8 knows about (ArrayBuffers and
 * WebAssembly memories count as `external`). Deltas of this are finer than RSS deltas,
 * which move in whole pages and include heap reservations.
 */
export function heapAndExternal(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Milliseconds, high resolution. */
export function now(): number {
  return performance.now();
}

/** Lets pending host callbacks (timers, immediates) drain: one trip through the event loop. */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
