// Vercel edge-runtime: the suite bundled to a script (IIFE) and evaluated in an EdgeVM,
// once with the defaults (the Wasm core compiles); once with
// `codeGeneration: { strings: false, wasm: false }`, where compiling Wasm is refused and
// the loops must fall back to the JS core by themselves; and once more so, but handed
// core.wasm as a module compiled outside the VM, as Vercel hands over a `?module` import:
// the loops must run on it.
import { EdgeVM } from "@edge-runtime/vm";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundle, ROOT } from "./bundle.ts";
import type { HostReport } from "./host-suite.ts";
import { type Expectation, type HostResult, withTimeout } from "./shared.ts";

const GLOBAL = "wasyncioHostSuite";

interface Variant {
  host: string;
  options: ConstructorParameters<typeof EdgeVM>[0];
  /** Whether the suite's loops get core.wasm, precompiled, as their `core` option. */
  precompiled: boolean;
  expect: Expectation;
}

const NO_CODE_GENERATION = { codeGeneration: { strings: false, wasm: false } };

const variants: Variant[] = [
  { host: "edge-runtime", options: {}, precompiled: false, expect: { core: "wasm", compileRefused: false } },
  { host: "edge-runtime (wasm: false)", options: NO_CODE_GENERATION, precompiled: false, expect: { core: "js", compileRefused: true } },
  {
    host: "edge-runtime (wasm: false, core.wasm module)",
    options: NO_CODE_GENERATION,
    precompiled: true,
    expect: { core: "wasm", compileRefused: true },
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
  const precompiledCore = new WebAssembly.Module(readFileSync(join(ROOT, "dist/core.wasm")));
  const results: HostResult[] = [];
  for (const { host, options, precompiled, expect } of variants) {
    try {
      const vm = new EdgeVM(options);
      vm.evaluate(code);
      if (precompiled) vm.context.__precompiledCore = precompiledCore;
      const args = precompiled ? "{ core: __precompiledCore }" : "";
      // The report is serialised inside the VM: its objects belong to another realm.
      const json = await withTimeout(
        vm.evaluate<Promise<string>>(`${GLOBAL}.hostReport(${args}).then((report) => JSON.stringify(report))`),
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
