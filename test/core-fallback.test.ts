// Where the host refuses to compile Wasm (strict CSP, workerd, `wasm: false` edge
// settings), loops quietly fall back to the JS core, and say so in `loop.core`.
import { afterEach, expect, it, vi } from "vitest";
import { collectUntil } from "./garbage.ts";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

/**
 * A fresh copy of the runtime, loaded while the host's WebAssembly is as it was except
 * that `constructor` ("Module" or "Instance") throws `error`.
 */
async function loadWithRefused(constructor: "Module" | "Instance", error: Error) {
  const refusing = Object.create(WebAssembly, {
    [constructor]: {
      value: function refused() {
        throw error;
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

/** A fresh copy of the runtime, loaded while the host refuses to compile Wasm from bytes, as workerd does. */
function loadWithWasmRefused() {
  return loadWithRefused("Module", new WebAssembly.CompileError("Wasm code generation disallowed by embedder"));
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

it("where a new Wasm instance is refused (its memory cannot be had), a loop takes the JS core, unless the Wasm core was asked for", async () => {
  const refused = new RangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance");
  const { runtime } = await loadWithRefused("Instance", refused);
  expect(new runtime.EventLoop().core).toBe("js");
  expect(() => new runtime.EventLoop({ core: "wasm" })).toThrow(refused);
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

it("past WASM_CORES_LIMIT live Wasm cores, a loop takes the JS core until some are collected", async () => {
  vi.resetModules(); // a fresh count
  const runtime = await import("../src/index.ts");
  const { WASM_CORES_LIMIT } = await import("../src/core/load-core.ts");
  // Each Wasm core reserves address space; V8 stalls for seconds and then fails some
  // 12,800 in. Past the limit a loop takes the JS core at once.
  let loops: InstanceType<typeof runtime.EventLoop>[] = [];
  for (let i = 0; i < WASM_CORES_LIMIT; i++) loops.push(new runtime.EventLoop());
  expect(loops.every((loop) => loop.core === "wasm")).toBe(true);
  const past = new runtime.EventLoop({ clock: "virtual" });
  expect(past.core).toBe("js");
  expect(await past.runUntilComplete(runtime.sleep(10, "runs"))).toBe("runs");
  // Asked for by name, it is still the Wasm core.
  expect(new runtime.EventLoop({ core: "wasm" }).core).toBe("wasm");
  // Each closed with a timer pending, so that its core is not kept for the next loop:
  // only the collector can bring the count down.
  for (const loop of loops) {
    loop.callLater(10, () => {});
    loop.close();
  }
  loops = [];
  expect(new runtime.EventLoop().core).toBe("js");
  await collectUntil(() => new runtime.EventLoop().core === "wasm");
  expect(new runtime.EventLoop().core).toBe("wasm");
});

it("past WASM_CORES_LIMIT live Wasm cores, a loop still takes a core kept from a closed loop: it adds no memory", async () => {
  vi.resetModules(); // a fresh count
  const runtime = await import("../src/index.ts");
  const { WASM_CORES_LIMIT } = await import("../src/core/load-core.ts");
  const loops = Array.from({ length: WASM_CORES_LIMIT }, () => new runtime.EventLoop());
  expect(new runtime.EventLoop().core).toBe("js");
  loops.pop()!.close(); // closed with nothing pending: its core is kept, and still counts as live
  const next = new runtime.EventLoop();
  expect(next.core).toBe("wasm");
  expect(new runtime.EventLoop().core).toBe("js"); // that was the only one kept
  for (const loop of [...loops, next]) loop.close();
});
