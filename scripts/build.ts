// `npm run build`: the published package in dist/.
//
// - dist/index.js: the runtime as one ES module (esbuild), readable (not minified). The
//   members that start with `_` are internal to the package, so they get short names:
//   a user's bundle is about 5% smaller for it, gzipped, and nothing public changes.
// - dist/*.d.ts: the declarations from tsc, without the members marked `@internal`.
// - dist/core.wasm (+ .d.ts): the precompiled-module entry for hosts such as workerd.
import { build, type BuildOptions } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * What the size budget measures: a program that imports these and nothing else
 * (test/size.test.ts holds it to the budget, `npm run size:parts` splits it up).
 */
export const BUDGET_IMPORTS = "run, createTask, sleep, gather";

/** The esbuild options of dist/index.js; the size test bundles with the same ones. */
export const PACKAGE_BUILD: BuildOptions = {
  entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  mangleProps: /^_/,
  legalComments: "none",
};

async function main(): Promise<void> {
  const dist = new URL("../dist/", import.meta.url);
  rmSync(dist, { recursive: true, force: true });
  await build({ ...PACKAGE_BUILD, outfile: fileURLToPath(new URL("index.js", dist)), sourcemap: true });
  execFileSync("npx", ["tsc", "-p", "tsconfig.json", "--emitDeclarationOnly", "--stripInternal"], { stdio: "inherit" });
  copyFileSync(new URL("../build/core.wasm", import.meta.url), new URL("core.wasm", dist));
  writeFileSync(new URL("core.wasm.d.ts", dist), CORE_WASM_DECLARATION);
}

/** dist/core.wasm.d.ts: what `import core from "wasyncio/core.wasm"` gives. */
export const CORE_WASM_DECLARATION = `import type { CompiledCore } from "./index.js";
/** The wasyncio scheduler core, precompiled by the host's module loader (a WebAssembly.Module): pass it as \`run(main, { core })\`. */
declare const core: CompiledCore;
export default core;
`;

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
