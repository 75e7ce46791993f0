// Vercel edge-runtime: the suite bundled to a script (IIFE) and evaluated in an EdgeVM,
// once with the defaults (the Wasm core compiles) and once with
// `codeGeneration: { strings: false, wasm: false }`, where compiling Wasm is refused and
// the loops must fall back to the JS core by themselves.
import { EdgeVM } from "@edge-runtime/vm";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "./bundle.ts";
import type { HostReport } from "./host-suite.ts";
import { type Expectation, type HostResult, withTimeout } from "./shared.ts";

const GLOBAL = "wasyncioHostSuite";

const variants: { host: string; options: ConstructorParameters<typeof EdgeVM>[0]; expect: Expectation }[] = [
  { host: "edge-runtime", options: {}, expect: { core: "wasm", compileRefused: false } },
  {
    host: "edge-runtime (wasm: false)",
    options: { codeGeneration: { strings: false, wasm: false } },
    expect: { core: "js", compileRefused: true },
  },
];

export async function runEdgeRuntime(work: string): Promise<HostResult[]> {
  const script = await bundle({
    entry: "host-suite.ts",
    outfile: join(work, "edge", "suite.js"),
    format: "iife",
    globalName: GLOBAL,
  });
  const code = readFileSync(script, "utf8");
  const results: HostResult[] = [];
  for (const { host, options, expect } of variants) {
    try {
      const vm = new EdgeVM(options);
      vm.evaluate(code);
      // The report is serialised inside the VM: its objects belong to another realm.
      const json = await withTimeout(
        vm.evaluate<Promise<string>>(`${GLOBAL}.hostReport().then((report) => JSON.stringify(report))`),
        30_000,
        host,
      );
      results.push({ host, expect, result: JSON.parse(json) as HostReport });
    } catch (error) {
      results.push({ host, expect, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return results;
}
