import { JsCore } from "./js-core.js";
import type { SchedulerCore } from "./scheduler-core.js";
import { WasmCore } from "./wasm-core.js";
import { CORE_WASM_MARK, CORE_WASM_SHIFT, CORE_WASM_TEXT } from "./wasm-bytes.js";
import { describe } from "../describe.js";
import { finalizationRegistry } from "../host.js";

/**
 * Which scheduler core a loop uses:
 * - `"wasm"`: the WebAssembly core compiled from the bytes inlined in the package;
 *   fails loudly if the host refuses to compile it.
 * - `"js"`: the TypeScript core.
 * - a `WebAssembly.Module` of `wasyncio/core.wasm`, for hosts that forbid compiling
 *   Wasm from bytes but let you import a precompiled module (Cloudflare workerd).
 * - omitted: the Wasm core if the host allows it, else the JS core.
 */
export type CoreChoice = "wasm" | "js" | CompiledCore;

/**
 * A `WebAssembly.Module` of `wasyncio/core.wasm`, typed as any object so that the
 * package's declarations need no WebAssembly lib: a Node project typed by `@types/node`
 * alone has none. {@link loadCore} tells a real module by its tag and refuses the rest.
 */
export type CompiledCore = object;

let inlinedModule: WebAssembly.Module | Error | undefined;

/**
 * @internal The bytes of core.wasm inlined in the package, from their ASCII text (see
 * wasm-bytes.ts; a Uint8Array wraps the shift back mod 256).
 */
export function inlinedCoreBytes(): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let i = 0; i < CORE_WASM_TEXT.length; i++) {
    const code = CORE_WASM_TEXT.charCodeAt(i);
    bytes.push((code === CORE_WASM_MARK ? 128 + CORE_WASM_TEXT.charCodeAt(++i) : code) - CORE_WASM_SHIFT);
  }
  return Uint8Array.from(bytes);
}

/** @internal Compiles the inlined bytes once per realm, remembering a refusal too. */
export function compileInlined(): WebAssembly.Module | Error {
  if (inlinedModule !== undefined) return inlinedModule;
  try {
    if (typeof WebAssembly !== "object") throw new Error("this host has no WebAssembly");
    inlinedModule = new WebAssembly.Module(inlinedCoreBytes());
  } catch (error) {
    inlinedModule = error instanceof Error ? error : new Error(String(error));
  }
  return inlinedModule;
}

/**
 * A module from another realm (an iframe, a worker's global) fails `instanceof`, so the
 * check goes by the object's tag.
 */
function isWasmModule(value: unknown): value is WebAssembly.Module {
  return Object.prototype.toString.call(value) === "[object WebAssembly.Module]";
}

/**
 * @internal How many Wasm cores may be alive before a loop that did not ask for one takes
 * the JS core. Each core has its own Wasm memory, and a 64-bit V8 reserves about 10 GiB of
 * address space for each: past some 12,800 of them (a server running a loop per request,
 * say), making one more stalls the thread for seconds of collections and then fails.
 */
export const WASM_CORES_LIMIT = 1_000;

/** Wasm cores not yet collected. A closed loop drops its core, so it counts until collected. */
let liveWasmCores = 0;
// Where the host has no FinalizationRegistry, cores are not counted: none would ever be
// seen collected, and the count would only grow.
const collectedCores = /* @__PURE__ */ finalizationRegistry<undefined>(() => liveWasmCores--);

function counted(core: WasmCore): WasmCore {
  if (collectedCores !== null) {
    liveWasmCores++;
    collectedCores.register(core, undefined);
  }
  return core;
}

/**
 * Empty Wasm cores of closed loops, by module, for the next loops to take: making a
 * core (an instance, with its own memory) took about 250 µs here, ten times a whole
 * `run()` of two sleeps on the JS core, and a program that runs a loop per request or
 * per test makes one each time.
 */
const idleCores = /* @__PURE__ */ new WeakMap<WebAssembly.Module, WasmCore[]>();

/**
 * @internal How many empty cores each module keeps for reuse; the others are left to the
 * collector. A server keeps as many as it runs loops at once: with 64 kept, 500
 * concurrent requests each running a `run()` made a new core for most of them, about
 * 1.3 ms each on Bun, and took 60 s for 20,000 requests against 9 s on the JS core. (A
 * core is made only when none is kept, so no more are kept than ran at once.) A page and
 * its workers keep 16: Chromium makes only about 125 Wasm memories live at once in a
 * page, and each core has one.
 */
export const IDLE_CORES_PER_MODULE = typeof document === "undefined" && typeof WorkerGlobalScope === "undefined" ? 512 : 16;

/** Web workers' global scope (not in this project's DOM lib); `typeof` of it is safe anywhere. */
declare const WorkerGlobalScope: unknown;

/**
 * A core whose memory grew past this is not kept: its memory would stay grown. Three
 * things grow it: timers pending at once (24 bytes each), ids ready at once (4 bytes
 * each), and the highest id a timer had (4 bytes an id, for the table of where each
 * timer is). 128 KiB holds 4,096 timers, or 16,384 ready ids, or timer ids up to about
 * 12,000. It goes by the memory itself, not by how many ids the loop used: a loop that
 * ran 10,000 tasks through the ready ring leaves a core of 128 KiB, and, not kept, the
 * next loop made a new one, which costs 1.1 ms on Bun (JavaScriptCore's
 * WebAssembly.Memory alone takes 1 ms) against 0.15 ms in V8: a third of a run() of
 * 10,000 tasks on Bun.
 */
const IDLE_CORE_BYTES = 131_072;

/**
 * @internal Gives back the core of a loop that is closing: a Wasm core left empty (as
 * `run()` leaves it: no timer, nothing ready) and not grown large is kept for the next
 * loop made with its module, which finds it as a new core would be.
 */
export function releaseCore(core: SchedulerCore): void {
  if (!(core instanceof WasmCore) || core._x.memory.buffer.byteLength > IDLE_CORE_BYTES || core.timerCount() + core.readyCount() > 0) return;
  let idle = idleCores.get(core.module);
  if (idle === undefined) idleCores.set(core.module, (idle = []));
  if (idle.length < IDLE_CORES_PER_MODULE) idle.push(core);
}

/** A core of `module`: an empty one kept from a closed loop, or a new instance. */
function wasmCore(module: WebAssembly.Module): WasmCore {
  return idleCores.get(module)?.pop() ?? counted(new WasmCore(module));
}

/**
 * @internal A core for a new loop (each loop owns one): an idle Wasm core kept from a
 * closed loop, a new instance, or the JS core.
 */
export function loadCore(choice?: CoreChoice): SchedulerCore {
  if (choice === "js") return new JsCore();
  if (isWasmModule(choice)) return wasmCore(choice);
  if (choice !== undefined && choice !== "wasm") {
    throw new TypeError(
      `wasyncio: core must be "wasm", "js" or a WebAssembly.Module of core.wasm, got ${describe(choice)}`,
    );
  }
  const module = compileInlined();
  if (module instanceof Error) {
    if (choice === "wasm") {
      throw new Error(`wasyncio: the Wasm core was asked for, but this host refused to compile it: ${module.message}`);
    }
    return new JsCore();
  }
  // (A kept core is reused whatever the count: it adds no memory.)
  if (choice === undefined && liveWasmCores >= WASM_CORES_LIMIT && !idleCores.get(module)?.length) return new JsCore();
  try {
    return wasmCore(module);
  } catch (error) {
    if (choice === "wasm") throw error;
    return new JsCore();
  }
}
