/**
 * Turns the children's metrics into the printed tables: one per workload, with each row's
 * ratio to the reference system measured in the same run, and PASS/MISS against the
 * targets of the performance issue.
 */
import { type Case, SIZES, TITLES, type WorkloadId } from "./plan.ts";
import type { Metrics } from "./types.ts";

export interface CaseResult {
  case: Case;
  /** Median over the runs of each metric. */
  median: Metrics;
  /** Every run's metrics. */
  all: Metrics[];
  runs: number;
}

/** "min–max" of one metric over the runs (only with several runs): how noisy this row was. */
function range(r: CaseResult, key: string, digits = 0): string {
  if (r.all.length < 2) return "—";
  const values = r.all.map((m) => m[key]!).filter((v) => Number.isFinite(v));
  return `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
}

/** 1 KB = 1024 bytes throughout. */
const KB = 1024;

/** The performance targets, as numbers the verdicts use. */
export const TARGETS = {
  w1WallVsNative: 0.7,
  w1KbPerTask: 0.8,
  w2NsPerSwitch: 120,
  w3CoreVsTypedHeap: 2,
  w3LoopScheduleVsNode: 0.5, // "at least 2x faster than setTimeout"
  w4UsPerTask: 3,
  w5UsPerTask: 1,
  w6NsPerMessage: 200,
};

export interface Verdict {
  row: string;
  target: string;
  value: string;
  pass: boolean;
  /** For a MISS: how far off, in words. */
  by?: string;
}

function fmt(x: number | undefined, digits = 0): string {
  if (x === undefined || x === null || Number.isNaN(x)) return "—";
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(x: number, ref: number | undefined): string {
  if (ref === undefined || !(ref > 0)) return "—";
  return `${(x / ref).toFixed(2)}×`;
}

/** "≤ target" check: returns the verdict, with the overshoot as a percentage. */
function atMost(row: string, target: string, value: number, limit: number, shown: string): Verdict {
  const pass = value <= limit;
  return pass
    ? { row, target, value: shown, pass }
    : { row, target, value: shown, pass, by: `${((value / limit - 1) * 100).toFixed(1)}% over the limit` };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function find(results: CaseResult[], system: string): Metrics | undefined {
  return results.find((r) => r.case.system === system)?.median;
}

function w1(results: CaseResult[], verdicts: Verdict[]): string {
  const native = find(results, "native")?.overFloorMs;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let target = "";
    if (c.ours) {
      const vsNative = native ? m.overFloorMs! / native : NaN;
      const kb = m.bytesPerTask! / KB;
      const time = atMost(c.label, `wall − floor ≤ ${TARGETS.w1WallVsNative}× native`, vsNative, TARGETS.w1WallVsNative, `${vsNative.toFixed(3)}× native`);
      const mem = atMost(c.label, `≤ ${TARGETS.w1KbPerTask} KB per task`, kb, TARGETS.w1KbPerTask, `${kb.toFixed(3)} KB`);
      verdicts.push(time, mem);
      target = `time ${time.pass ? "PASS" : "MISS"}, memory ${mem.pass ? "PASS" : "MISS"}`;
    }
    return [
      c.label,
      fmt(m.overFloorMs),
      range(r, "overFloorMs"),
      ratio(m.overFloorMs!, native) + " native",
      fmt(m.peakRssBytes! / 1e6),
      fmt(m.baselineRssBytes! / 1e6),
      fmt(m.bytesPerTask! / KB, 2),
      c.anchorDoc ?? "",
      target,
    ];
  });
  return table(
    ["system", "wall − 50 ms floor (ms)", "runs min–max", "vs native", "peak RSS (MB)", "RSS before (MB)", "RSS per task (KB)", "reference", "target"],
    rows,
  );
}

function w2(results: CaseResult[], verdicts: Verdict[]): string {
  const floor = find(results, "native-await-null")?.nsPerSwitch;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let target = "";
    if (c.ours) {
      const v = atMost(c.label, `≤ ${TARGETS.w2NsPerSwitch} ns per switch`, m.nsPerSwitch!, TARGETS.w2NsPerSwitch, `${fmt(m.nsPerSwitch)} ns`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    }
    return [c.label, fmt(m.nsPerSwitch), range(r, "nsPerSwitch"), ratio(m.nsPerSwitch!, floor) + " await null", c.anchorDoc ?? "", target];
  });
  return table(["system", "ns per switch", "runs min–max", "vs native await null", "reference (ns)", `target ≤ ${TARGETS.w2NsPerSwitch} ns`], rows);
}

function w3(results: CaseResult[], verdicts: Verdict[]): string {
  const heap = find(results, "typed-heap");
  const node = find(results, "node-settimeout");
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let vs = "";
    let target = "";
    if (c.system.startsWith("core-") && heap) {
      const r = {
        schedule: m.nsPerSchedule! / heap.nsPerSchedule!,
        cancel: m.nsPerCancel! / heap.nsPerCancel!,
        pop: m.nsPerPop! / heap.nsPerPop!,
      };
      const worst = Math.max(r.schedule, r.cancel, r.pop);
      vs = `${r.schedule.toFixed(2)}× / ${r.cancel.toFixed(2)}× / ${r.pop.toFixed(2)}× heap`;
      const v = atMost(c.label, `each op ≤ ${TARGETS.w3CoreVsTypedHeap}× the typed-array heap`, worst, TARGETS.w3CoreVsTypedHeap, `worst ${worst.toFixed(2)}×`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    } else if (c.system.startsWith("loop-") && node) {
      const r = m.nsPerSchedule! / node.nsPerSchedule!;
      vs = `schedule ${r.toFixed(2)}× setTimeout`;
      const v = atMost(c.label, "schedule ≥ 2× faster than setTimeout", r, TARGETS.w3LoopScheduleVsNode, `${r.toFixed(2)}× setTimeout's time (${(1 / r).toFixed(2)}× faster)`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    }
    return [c.label, fmt(m.nsPerSchedule), range(r, "nsPerSchedule"), fmt(m.nsPerCancel), fmt(m.nsPerPop), fmt(m.bytesPerPending), vs, c.anchorDoc ?? "", target];
  });
  return table(["system", "ns/schedule", "runs min–max", "ns/cancel", "ns/pop", "bytes per pending timer", "vs reference", "reference", "target"], rows);
}

function w4(results: CaseResult[], verdicts: Verdict[]): string {
  const native = find(results, "native-abort-per-task")?.usPerTask;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let target = "";
    if (c.ours) {
      const v = atMost(c.label, `≤ ${TARGETS.w4UsPerTask} µs per task`, m.usPerTask!, TARGETS.w4UsPerTask, `${fmt(m.usPerTask, 1)} µs`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    }
    return [c.label, fmt(m.usPerTask, 1), range(r, "usPerTask", 1), ratio(m.usPerTask!, native) + " native", fmt(m.usPerTaskWarm, 1), c.anchorDoc ?? "", target];
  });
  return table(
    ["system", "µs per task", "runs min–max", "vs native AbortController", "warm: µs per task, rounds 4–6", "reference (µs)", `target ≤ ${TARGETS.w4UsPerTask} µs`],
    rows,
  );
}

function w5(results: CaseResult[], verdicts: Verdict[]): string {
  const native = find(results, "native")?.usPerTask;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let target = "";
    if (c.ours) {
      const v = atMost(c.label, `≤ ${TARGETS.w5UsPerTask} µs per task`, m.usPerTask!, TARGETS.w5UsPerTask, `${fmt(m.usPerTask, 2)} µs`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    }
    return [c.label, fmt(m.usPerTask, 2), range(r, "usPerTask", 2), ratio(m.usPerTask!, native) + " native", c.anchorDoc ?? "", target];
  });
  return table(["system", "µs per task", "runs min–max", "vs native semaphore", "anchor (µs)", `target ≤ ${TARGETS.w5UsPerTask} µs`], rows);
}

function w6(results: CaseResult[], verdicts: Verdict[]): string {
  const native = find(results, "native")?.nsPerMessage;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    let target = "";
    if (c.ours) {
      const v = atMost(c.label, `≤ ${TARGETS.w6NsPerMessage} ns per message`, m.nsPerMessage!, TARGETS.w6NsPerMessage, `${fmt(m.nsPerMessage)} ns`);
      verdicts.push(v);
      target = v.pass ? "PASS" : "MISS";
    }
    return [c.label, fmt(m.nsPerMessage), range(r, "nsPerMessage"), ratio(m.nsPerMessage!, native) + " native", c.anchorDoc ?? "", target];
  });
  return table(["system", "ns per message", "runs min–max", "vs native queue", "anchor (ns)", `target ≤ ${TARGETS.w6NsPerMessage} ns`], rows);
}

/** W7 has no target: it shows what eager tasks gain over lazy ones on the same core. */
function w7(results: CaseResult[]): string {
  const native = find(results, "native")?.usPerTask;
  const rows = results.map((r) => {
    const { case: c, median: m } = r;
    const lazy = c.system.endsWith("-eager") ? find(results, c.system.replace("-eager", "-lazy"))?.usPerTask : undefined;
    const gain = lazy !== undefined ? `${fmt(lazy / m.usPerTask!, 2)}× faster than lazy` : "";
    return [c.label, fmt(m.usPerTask, 2), range(r, "usPerTask", 2), ratio(m.usPerTask!, native) + " native", gain];
  });
  return table(["system", "µs per task", "runs min–max", "vs native", "eager gain"], rows);
}

const RENDER: Record<WorkloadId, (r: CaseResult[], v: Verdict[]) => string> = { W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6, W7: w7 };

const NOTES: Record<WorkloadId, string> = {
  W1: "wall from the first spawn to gather/Promise.all done; RSS per task = (peak RSS − RSS before spawning) / N.",
  W2: "two tasks take turns, N/2 suspensions each; ns per switch = wall / N.",
  W3: "ns/cancel and ns/pop are per cancelled / fired timer (N/2 each); bytes = Δ(JS heap + external) after GC with all N pending; warmed up on 20,000 timers first.",
  W4: "from the first cancel until the waiter saw every task finish; spawning not timed. The first round in a fresh process is the measure (cold, like the anchors); the warm column is the median of rounds 4–6 in the same process.",
  W5: "from the first spawn until the last task finished, spawning included; µs per task = wall / N. Reference figures measured earlier on this machine; CPython asyncio.Semaphore, not run here: 25 µs. Effect's row bounds forEach instead of using its Semaphore, which takes minutes here (see w5-semaphore.ts).",
  W7: "from the first spawn until gather returned; µs per task = wall / N. Eager tasks (asyncio 3.12's eager task factory) run their first step inside createTask.",
  W6: "one message = one put and the get in the other task that returns it (every get finds its queue empty, so each message is also one switch); ns per message = wall / N. Reference figures measured earlier on this machine; CPython asyncio.Queue, not run here: 3,601 ns.",
};

/** The whole printed report; the verdicts are appended to `verdicts`. */
export function renderReport(results: CaseResult[], quick: boolean, verdicts: Verdict[]): string {
  const out: string[] = [];
  for (const w of Object.keys(SIZES) as WorkloadId[]) {
    const rows = results.filter((r) => r.case.workload === w);
    if (rows.length === 0) continue;
    const size = SIZES[w][quick ? "quick" : "full"];
    const runs = [...new Set(rows.map((r) => r.runs))].join("/");
    out.push(`### ${TITLES[w]} (N = ${fmt(size)} ${SIZES[w].what}; median of ${runs} run(s))`, "");
    out.push(RENDER[w](rows, verdicts), "", `_${NOTES[w]}_`, "");
  }
  if (verdicts.length > 0) {
    out.push("### Targets", "");
    out.push(
      table(
        ["row", "target", "measured", "verdict"],
        verdicts.map((v) => [v.row, v.target, v.value, v.pass ? "PASS" : `MISS, ${v.by}`]),
      ),
    );
  }
  return out.join("\n");
}
