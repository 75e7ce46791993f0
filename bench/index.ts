/**
 * `npm run bench`: runs every (workload, system) pair of plan.ts in its own child
 * process, one after another (the machine has 2 cores: children running side by side
 * would time each other), and prints the tables of report.ts.
 *
 *   npm run bench -- [--runs N] [--only W1,W3] [--quick] [--json results.json]
 *
 * --runs N   each pair runs N times (fresh process each time, rounds interleaved); tables
 *            show medians.
 * --only     a comma-separated list of workloads.
 * --quick    small sizes (see plan.ts): a smoke run of a few seconds per workload.
 * --json     also writes every run's raw metrics to this file.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { RESULT_PREFIX } from "./child.ts";
import { type Case, CASES, SIZES, type WorkloadId } from "./plan.ts";
import { type CaseResult, renderReport, type Verdict } from "./report.ts";
import { sourceFingerprint, sourceState } from "./source-state.ts";
import type { Metrics } from "./types.ts";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const CHILD_TIMEOUT_MS = 180_000;

interface Options {
  runs: number;
  only: Set<WorkloadId> | null;
  quick: boolean;
  json: string | null;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { runs: 1, only: null, quick: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--quick") options.quick = true;
    else if (arg.startsWith("--runs")) {
      options.runs = Number(value());
      if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error("--runs needs a positive integer");
    } else if (arg.startsWith("--only")) {
      const ids = value().split(",").map((s) => s.trim().toUpperCase());
      for (const id of ids) if (!(id in SIZES)) throw new Error(`--only: unknown workload ${id} (${Object.keys(SIZES).join(", ")})`);
      options.only = new Set(ids as WorkloadId[]);
    } else if (arg.startsWith("--json")) options.json = value();
    else throw new Error(`unknown option ${arg}; see bench/index.ts`);
  }
  return options;
}

/** Runs one pair in a fresh `node --expose-gc --import tsx` and returns its metrics. */
function runChild(c: Case, n: number): Promise<Metrics> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", CHILD, c.workload, c.system, String(n)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${c.workload} ${c.system} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as Metrics);
    });
  });
}

/** The 1, 5 and 15 minute load averages: other processes competing for the cores show up here. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

function median(values: number[]): number {
  const finite = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

function medianMetrics(runs: Metrics[]): Metrics {
  const out: Metrics = {};
  for (const key of Object.keys(runs[0]!)) out[key] = median(runs.map((r) => r[key]!));
  return out;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cases = CASES.filter((c) => options.only === null || options.only.has(c.workload));
  const started = performance.now();
  const root = fileURLToPath(new URL("..", import.meta.url));
  const stateAtStart = sourceState(root);
  const fingerprintAtStart = sourceFingerprint(root);
  console.log(
    `wasyncio benchmarks: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ` +
      `${os.platform()} ${os.arch()}; runs=${options.runs}${options.quick ? ", quick sizes" : ""}; ` +
      `load average ${loadAverage()}\n` +
      `measuring ${stateAtStart}`,
  );
  // Rounds are interleaved (round 1 of every pair, then round 2, ...) rather than each
  // pair's runs back to back: a burst of load from elsewhere on the machine then lands
  // on different pairs in different rounds, instead of on all the runs of one pair.
  const collected = cases.map(() => [] as Metrics[]);
  let failures = 0;
  for (let r = 0; r < options.runs; r++) {
    for (const [i, c] of cases.entries()) {
      const runs = Math.min(options.runs, c.maxRuns ?? Infinity);
      if (r >= runs) continue;
      const n = SIZES[c.workload][options.quick ? "quick" : "full"];
      process.stderr.write(`  ${c.workload} ${c.system} run ${r + 1}/${runs} ... `);
      const t0 = performance.now();
      try {
        collected[i]!.push(await runChild(c, n));
        process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      } catch (error) {
        failures++;
        process.stderr.write("FAILED\n");
        console.error(error instanceof Error ? error.message : error);
      }
    }
  }
  const results: CaseResult[] = [];
  const raw = cases.map((c, i) => ({ workload: c.workload, system: c.system, runs: collected[i]! }));
  for (const [i, c] of cases.entries()) {
    const metrics = collected[i]!;
    if (metrics.length > 0) results.push({ case: c, median: medianMetrics(metrics), all: metrics, runs: metrics.length });
  }
  const verdicts: Verdict[] = [];
  console.log("\n" + renderReport(results, options.quick, verdicts));
  console.log(
    `\n(total ${((performance.now() - started) / 1000).toFixed(0)} s${failures ? `, ${failures} failed run(s)` : ""}; ` +
      `load average at the end ${loadAverage()}: anything else running on this ${os.cpus().length}-core machine skews the timings)`,
  );
  if (sourceFingerprint(root) !== fingerprintAtStart) {
    console.log(
      `WARNING: src/ or assembly/ changed during the run (now ${sourceState(root)}); ` +
        "later rows may have measured different code than earlier ones.",
    );
  }
  if (options.json !== null) writeFileSync(options.json, JSON.stringify({ options: { ...options, only: options.only && [...options.only] }, raw }, null, 2));
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
