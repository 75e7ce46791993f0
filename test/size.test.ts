// The size budget: what a user ships for run + createTask + sleep + gather. The package
// is built as it is published (dist/index.js, with the Wasm core inlined), then bundled
// and minified by esbuild as a user's build would, and gzipped at level 9.
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, expect, it } from "vitest";
import { BUDGET_IMPORTS, PACKAGE_BUILD } from "../scripts/build.ts";

/**
 * The budget this package holds itself to today. The goal is 5 KB (effection's run +
 * spawn + sleep is 5.5 KB); BENCHMARKS.md ("Bundle size") shows where the bytes go and
 * why the rest is not trimming. This keeps the bundle from growing back.
 */
const BUDGET_BYTES = 12_110;

const workDir = mkdtempSync(join(tmpdir(), "wasyncio-size-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * The package built as published, bundled and minified for a program that imports
 * `names` (none: a bare `import "wasyncio"`). `charset: "utf8"` writes characters out
 * raw, as most minifiers do, where esbuild's default escapes what is not ASCII.
 */
async function bundled(names: string, charset?: "utf8"): Promise<Uint8Array> {
  const packageEntry = join(workDir, "index.js");
  await build({ ...PACKAGE_BUILD, outfile: packageEntry, logLevel: "silent" });
  const from = JSON.stringify(packageEntry);
  const result = await build({
    stdin: { contents: names === "" ? `import ${from};` : `export { ${names} } from ${from};`, resolveDir: workDir },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    charset,
  });
  return result.outputFiles[0]!.contents;
}

/** What {@link bundled} gives for `names`: minified and gzipped sizes. */
async function bundle(names: string): Promise<{ minified: number; gzipped: number }> {
  const code = await bundled(names);
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`${names || "a bare import"}: ${code.length} bytes minified, ${gzipped} bytes gzipped`);
  return { minified: code.length, gzipped };
}

it(`${BUDGET_IMPORTS.replaceAll(", ", " + ")} bundle to at most ${BUDGET_BYTES} bytes gzipped`, async () => {
  const { minified, gzipped } = await bundle(BUDGET_IMPORTS);
  expect(minified).toBeGreaterThan(10_000); // the Wasm bytes and the runtime are really in
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});

it("bundled by a minifier that writes characters out raw, the runtime is all ASCII, Wasm bytes included", async () => {
  // A classic script on a page that declares no charset is read as windows-1252: any
  // other byte would reach the Wasm compiler garbled, and the loop take the JS core.
  const code = await bundled(BUDGET_IMPORTS, "utf8");
  expect(code.length).toBeGreaterThan(10_000);
  expect(code.findIndex((byte) => byte >= 0x80)).toBe(-1);
});

/**
 * What a program that uses one small part ships: that part, not the loop. Every
 * statement at a module's top level that a bundler cannot prove free of side effects
 * (a `new`, a call, a property defined after a class) stays in every bundle, scheduler
 * cores and all; these budgets catch one coming back.
 */
const SMALL_PART_BUDGETS: [names: string, gzipped: number][] = [
  ["ContextVar", 1_230],
  ["Lock", 3_560],
];

it("a bare import bundles to nothing: no statement of the package stays in a program that uses none of it", async () => {
  expect(await bundle("")).toEqual({ minified: 0, gzipped: 20 }); // 20: gzip's header and trailer
});

for (const [names, budget] of SMALL_PART_BUDGETS) {
  it(`${names} alone bundles to at most ${budget} bytes gzipped, without the loop`, async () => {
    const { minified, gzipped } = await bundle(names);
    expect(minified).toBeLessThan(10_000); // no scheduler core, no Wasm bytes
    expect(gzipped).toBeLessThanOrEqual(budget);
  });
}

it("npm run size:parts runs, and finds each of the bundle's four parts", async () => {
  // It measures a part by bundling again with that part emptied from the sources, the
  // error messages by a pattern: a source the pattern cannot read breaks the build.
  const script = fileURLToPath(new URL("../scripts/bundle-parts.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));
  const bun = (globalThis as { Bun?: unknown }).Bun !== undefined;
  const { stdout } = await promisify(execFile)(process.execPath, bun ? [script] : ["--import", tsx, script]);
  const [whole, ...parts] = stdout.trim().split("\n");
  expect(whole).toMatch(/^run, createTask, sleep, gather: \d+ bytes gzipped$/);
  expect(parts.map((line) => line.trim().replace(/^\d+\s+/, ""))).toEqual([
    "the Wasm core, inlined",
    "the JS fallback core",
    "error messages (the text of every new …Error(…))",
    "loop, futures, tasks, gather, run, the Wasm adapter and the loader",
  ]);
  for (const line of parts) expect(Number(line.trim().split(/\s+/)[0])).toBeGreaterThan(100);
}, 60_000);
