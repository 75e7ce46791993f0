// `npm run size:parts`: where the bytes of the size budget's bundle go (a program that
// imports BUDGET_IMPORTS, minified, gzipped at level 9). Each part is measured by
// bundling again with it emptied: the inlined Wasm bytes, the JS fallback core (a stub in
// its place), or the text of every `new …Error(…)`. What is left is the runtime itself.
// BENCHMARKS.md ("Bundle size") shows the table this prints.
import { build, type Plugin } from "esbuild";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { BUDGET_IMPORTS, PACKAGE_BUILD } from "./build.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Gzipped size of the budget's bundle with each source file passed through `edit`. */
async function gzippedSize(edit: (path: string, text: string) => string): Promise<number> {
  const editing: Plugin = {
    name: "edit-sources",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
        contents: edit(args.path.replaceAll("\\", "/"), readFileSync(args.path, "utf8")),
        loader: "ts",
      }));
    },
  };
  const result = await build({
    ...PACKAGE_BUILD,
    entryPoints: undefined,
    stdin: { contents: `export { ${BUDGET_IMPORTS} } from "./src/index.ts";`, resolveDir: ROOT, loader: "ts" },
    plugins: [editing],
    minify: true,
    write: false,
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

const whole = await gzippedSize((_path, text) => text);
const withoutWasm = await gzippedSize((path, text) =>
  path.endsWith("/src/core/wasm-bytes.ts") ? `export const CORE_WASM_TEXT = ""; export const CORE_WASM_SHIFT = 0; export const CORE_WASM_MARK = 0;` : text,
);
const withoutJsCore = await gzippedSize((path, text) =>
  path.endsWith("/src/core/js-core.ts") ? `export class JsCore { kind = "js"; }` : text,
);
const withoutMessages = await gzippedSize((_path, text) =>
  text.replace(/new (\w*Error)\((`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*")/g, 'new $1(""'),
);

const parts: [string, number][] = [
  ["the Wasm core, inlined", whole - withoutWasm],
  ["the JS fallback core", whole - withoutJsCore],
  ["error messages (the text of every new …Error(…))", whole - withoutMessages],
];
const rest = parts.reduce((left, [, bytes]) => left - bytes, whole);
parts.push(["loop, futures, tasks, gather, run, the Wasm adapter and the loader", rest]);
console.log(`${BUDGET_IMPORTS}: ${whole} bytes gzipped`);
for (const [part, bytes] of parts) console.log(`  ${String(bytes).padStart(5)}  ${part}`);
