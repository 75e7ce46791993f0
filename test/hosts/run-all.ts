// Runs the conformance suite in every host this folder owns: Deno, Bun (on each core),
// workerd (at today's compatibility date and at one without FinalizationRegistry and
// WeakRef) and edge-runtime (three ways: defaults; Wasm compilation forbidden; forbidden
// but core.wasm handed in precompiled). Prints one line
// per host, then the details of any failure, and exits non-zero if any host failed,
// passed no scenario, or produced no report. No host is ever skipped: a missing binary
// is a failure.
//
//   npm run test:hosts        (tsx test/hosts/run-all.ts)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, stopBundler } from "./bundle.ts";
import { runBun } from "./bun.ts";
import { runDeno } from "./deno.ts";
import { runEdgeRuntime } from "./edge-runtime.ts";
import { hostLine, type HostResult, makeWorkDir, problemsOf, removeWorkDir } from "./shared.ts";
import { runWorkerd, WORKERD_DATES } from "./workerd.ts";

/**
 * The inlined core must be the one in build/core.wasm (workerd loads that file), and the
 * package must be built (Deno, workerd and edge-runtime run dist/index.js).
 */
async function checkBuild(): Promise<string | null> {
  const wasm = join(ROOT, "build/core.wasm");
  const inlined = join(ROOT, "src/core/wasm-bytes.ts");
  if (!existsSync(wasm) || !existsSync(inlined)) return "build/core.wasm or src/core/wasm-bytes.ts is missing: run npm run build";
  const { inlinedCoreBytes } = await import("../../src/core/load-core.ts");
  if (!Buffer.from(inlinedCoreBytes()).equals(readFileSync(wasm))) {
    return "src/core/wasm-bytes.ts does not inline build/core.wasm: run npm run build";
  }
  if (!existsSync(join(ROOT, "dist/index.js"))) return "dist/index.js is missing: run npm run build";
  return null;
}

async function main(): Promise<number> {
  const stale = await checkBuild();
  if (stale !== null) {
    console.error(`hosts: ${stale}`);
    return 1;
  }
  const started = Date.now();
  const work = makeWorkDir();
  process.once("exit", () => removeWorkDir(work)); // also when stopped by a signal
  const results: HostResult[] = [];
  try {
    // One host at a time: a 2-core CI machine, and output in a fixed order.
    results.push(await runDeno(work));
    results.push(await runBun(work, "default"));
    results.push(await runBun(work, "js"));
    for (const date of WORKERD_DATES) results.push(await runWorkerd(work, date));
    results.push(...(await runEdgeRuntime(work)));
  } finally {
    await stopBundler();
    removeWorkDir(work);
  }
  let failed = 0;
  const details: string[] = [];
  for (const result of results) {
    console.log(hostLine(result));
    const problems = problemsOf(result);
    if (problems.length > 0) {
      failed++;
      details.push(`--- ${result.host}:\n${problems.join("\n")}`);
    }
  }
  if (details.length > 0) console.log(`\n${details.join("\n\n")}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`hosts: ${results.length - failed} of ${results.length} passed in ${seconds} s`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
// Everything above is closed: if something the runtime left behind in an edge VM (which
// shares this process) keeps Node alive, fail instead of hanging CI.
setTimeout(() => {
  console.error("hosts: the runner did not exit 5 s after finishing: something keeps the process alive");
  process.exit(1);
}, 5_000).unref();
