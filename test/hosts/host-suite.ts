// What runs inside each host (Deno, Bun, workerd, edge-runtime): the conformance suite,
// plus two facts about the host itself: whether it lets code compile Wasm from bytes,
// and which core a loop picks when it is given no choice. Host-neutral like the suite:
// no Node, Deno or Workers APIs, so every runner can bundle or load it as it is.
import { getRunningLoop, type LoopOptions, run } from "../../src/index.ts";
import { inlinedCoreBytes } from "../../src/core/load-core.ts";
import { type ConformanceReport, runScenarios, scenarios } from "../conformance/scenarios.ts";

/** Whether one way of compiling the inlined core from bytes worked here. */
export interface CompileOutcome {
  refused: boolean;
  /** The host's error message when refused. */
  message?: string;
}

/** Everything a host sends back to its runner. */
export interface HostReport {
  report: ConformanceReport;
  /** How many scenarios the suite inside the host has (the runner checks all ran). */
  total: number;
  /** The core a loop uses with no `core` option. */
  defaultCore: string;
  /** `new WebAssembly.Module(bytes)` and `WebAssembly.compile(bytes)` on the inlined core. */
  compileFromBytes: { sync: CompileOutcome; async: CompileOutcome };
  /** Whether the host has FinalizationRegistry and WeakRef (workerd before 2025-05-05 has not). */
  weakReferences: boolean;
}

/** Marks the report line in a host's stdout, so other output cannot be mistaken for it. */
export const REPORT_MARKER = "@@wasyncio-host-report@@";

function refusal(error: unknown): CompileOutcome {
  return { refused: true, message: error instanceof Error ? error.message : String(error) };
}

async function probeCompile(): Promise<HostReport["compileFromBytes"]> {
  let sync: CompileOutcome = { refused: false };
  let async: CompileOutcome = { refused: false };
  try {
    new WebAssembly.Module(inlinedCoreBytes());
  } catch (error) {
    sync = refusal(error);
  }
  try {
    await WebAssembly.compile(inlinedCoreBytes());
  } catch (error) {
    async = refusal(error);
  }
  return { sync, async };
}

/** Runs the suite with `options` (e.g. `{ core: precompiledModule }`) and probes the host. */
export async function hostReport(options: LoopOptions = {}): Promise<HostReport> {
  const compileFromBytes = await probeCompile();
  const defaultCore = await run(function* () {
    return getRunningLoop().core;
  });
  const report = await runScenarios(options);
  const weakReferences = typeof FinalizationRegistry === "function" && typeof WeakRef === "function";
  return { report, total: scenarios.length, defaultCore, compileFromBytes, weakReferences };
}
