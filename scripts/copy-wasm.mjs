// Ships the release core.wasm beside the JS build, for hosts that must import a
// precompiled WebAssembly.Module (`import core from "wasyncio/core.wasm"`), with a
// declaration so that import is typed.
import { copyFileSync, writeFileSync } from "node:fs";

copyFileSync(new URL("../build/core.wasm", import.meta.url), new URL("../dist/core.wasm", import.meta.url));
writeFileSync(
  new URL("../dist/core.wasm.d.ts", import.meta.url),
  `/** The wasyncio scheduler core, precompiled by the host's module loader: pass it as \`run(main, { core })\`. */
declare const core: WebAssembly.Module;
export default core;
`,
);
