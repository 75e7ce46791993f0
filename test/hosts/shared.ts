// What the host runners share besides bundling: spawning a host with a time limit (and
// always stopping it), reading the marked report from its output, and the checks every
// host's result must pass.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scenarios, summaryLine } from "../conformance/scenarios.ts";
import { type HostReport, REPORT_MARKER } from "./host-suite.ts";

/** What a host must show besides passing every scenario. */
export interface Expectation {
  /** The core the suite's loops must report. */
  core: "wasm" | "js";
  /** Whether compiling Wasm from bytes must be refused in this host. */
  compileRefused: boolean;
  /** Whether the host must have FinalizationRegistry and WeakRef (unchecked if not given). */
  weakReferences?: boolean;
}

/** One host's outcome: a report, or the error that kept it from producing one. */
export interface HostResult {
  host: string;
  expect: Expectation;
  result?: HostReport;
  error?: string;
}

const children = new Set<ChildProcess>();
const killChildren = (): void => {
  for (const child of children) child.kill("SIGKILL");
};
process.on("exit", killChildren);
// A runner stopped from outside (Ctrl-C, CI cancelling) must not leave a workerd behind.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(code);
  });
}

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The process had to be killed at the time limit. */
  timedOut: boolean;
}

/** Runs a command to its end, killing it at `timeoutMs` (and on the runner's exit). */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      stderr += `\n${error.message}`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Starts a long-running process (a server); the caller stops it with {@link stopProcess}. */
export function startProcess(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.on("close", () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Rejects with `what` timed out after `ms`, unless `promise` settles first. */
export function withTimeout<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const tail = (text: string, lines = 15): string => text.trim().split("\n").slice(-lines).join("\n");

/** The report a CLI host printed, or the reason there is none (crash, hang, no marker). */
export function reportFromProcess(host: string, expect: Expectation, outcome: ProcessOutcome): HostResult {
  const line = outcome.stdout.split("\n").find((l) => l.startsWith(REPORT_MARKER));
  const output = `stdout:\n${tail(outcome.stdout)}\nstderr:\n${tail(outcome.stderr)}`;
  if (line === undefined) {
    const why = outcome.timedOut ? "timed out before reporting" : `exited (code ${outcome.code}, signal ${outcome.signal}) without a report`;
    return { host, expect, error: `${why}\n${output}` };
  }
  if (outcome.timedOut) {
    return {
      host,
      expect,
      error: `the suite finished but the process did not exit by itself (something keeps the host alive)\n${output}`,
    };
  }
  if (outcome.code !== 0) return { host, expect, error: `exited with code ${outcome.code} after reporting\n${output}` };
  return { host, expect, result: JSON.parse(line.slice(REPORT_MARKER.length)) as HostReport };
}

/** Everything wrong with a host's result; empty when it passed. */
export function problemsOf(host: HostResult): string[] {
  if (host.result === undefined) return [host.error ?? "no report"];
  const { report, total, defaultCore, compileFromBytes } = host.result;
  const problems: string[] = [];
  for (const failure of report.failures) problems.push(`scenario failed: ${failure.name}\n${failure.error}`);
  if (report.passed === 0) problems.push("no scenario passed");
  if (total !== scenarios.length) problems.push(`the host ran a suite of ${total} scenarios, this checkout has ${scenarios.length}`);
  if (report.passed + report.failed !== scenarios.length) {
    problems.push(`${report.passed + report.failed} of ${scenarios.length} scenarios ran`);
  }
  if (report.core !== host.expect.core) problems.push(`the suite ran on the ${report.core} core, expected ${host.expect.core}`);
  for (const [how, outcome] of Object.entries(compileFromBytes)) {
    if (outcome.refused !== host.expect.compileRefused) {
      problems.push(
        `compiling Wasm from bytes (${how}) was ${outcome.refused ? `refused (${outcome.message})` : "allowed"}, ` +
          `expected it to be ${host.expect.compileRefused ? "refused" : "allowed"}`,
      );
    }
  }
  const { weakReferences } = host.expect;
  if (weakReferences !== undefined && host.result.weakReferences !== weakReferences) {
    problems.push(`the host ${host.result.weakReferences ? "has" : "lacks"} FinalizationRegistry and WeakRef, expected it to ${weakReferences ? "have" : "lack"} them`);
  }
  const fallback = host.expect.compileRefused ? "js" : "wasm";
  if (defaultCore !== fallback) problems.push(`with no core option a loop used ${defaultCore}, expected ${fallback}`);
  return problems;
}

/** The one line printed for a host: its summary, or why it has none. */
export function hostLine(host: HostResult): string {
  if (host.result === undefined) return `${host.host}: FAILED, no report (see below)`;
  let line = summaryLine(host.host, host.result.report);
  const sync = host.result.compileFromBytes.sync;
  if (sync.refused) line += `; new WebAssembly.Module(bytes) refused: ${sync.message}`;
  return line;
}

/** A fresh scratch folder for bundles, configs and caches; removed by the caller. */
export function makeWorkDir(): string {
  return mkdtempSync(join(tmpdir(), "wasyncio-hosts-"));
}

export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
