// Where the host refuses to compile Wasm (strict CSP, workerd, `wasm: false` edge
// settings), loops quietly fall back to the JS core, and say so in `loop.core`.
import { afterEach, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

/** A fresh copy of the runtime, loaded while the host refuses to compile Wasm from bytes. */
async function loadWithWasmRefused() {
  const real = WebAssembly;
  // Everything as it was, except that compiling from bytes throws, as workerd does.
  const refusing = Object.create(real, {
    Module: {
      value: function Module() {
        throw new real.CompileError("Wasm code generation disallowed by embedder");
      },
    },
  });
  vi.stubGlobal("WebAssembly", refusing);
  vi.resetModules();
  return {
    runtime: await import("../src/index.ts"),
    cores: await import("../src/core/load-core.ts"),
  };
}

it("a loop uses the JS core when Wasm compilation is refused, and runs normally", async () => {
  const { runtime } = await loadWithWasmRefused();
  const loop = new runtime.EventLoop({ clock: "virtual" });
  expect(loop.core).toBe("js");
  const out = await loop.runUntilComplete(function* () {
    yield* runtime.sleep(1000);
    return loop.time();
  });
  expect(out).toBe(1000);
});

it("asking for the Wasm core explicitly where it is refused is a clear error", async () => {
  const { runtime } = await loadWithWasmRefused();
  expect(() => new runtime.EventLoop({ core: "wasm" })).toThrow(
    /the Wasm core was asked for, but this host refused to compile it: Wasm code generation disallowed by embedder/,
  );
});

it("with compilation refused, a precompiled module is still accepted (the workerd path)", async () => {
  // Compile before refusing, as a host's module loader would have done.
  const { compileInlined } = await import("../src/core/load-core.ts");
  const module = compileInlined();
  if (module instanceof Error) throw module;
  const { runtime } = await loadWithWasmRefused();
  const loop = new runtime.EventLoop({ core: module });
  expect(loop.core).toBe("wasm");
});

it("without refusal, the default core is Wasm", async () => {
  const runtime = await import("../src/index.ts");
  expect(new runtime.EventLoop().core).toBe("wasm");
});
