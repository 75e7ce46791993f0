// Ships the release core.wasm beside the JS build, for hosts that must import a
// precompiled WebAssembly.Module (`import core from "wasyncio/core.wasm"`).
import { copyFileSync } from "node:fs";

copyFileSync(new URL("../build/core.wasm", import.meta.url), new URL("../dist/core.wasm", import.meta.url));
