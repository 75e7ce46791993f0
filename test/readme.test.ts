// The README's first program runs, and prints what the README says it prints; every
// TypeScript block of the README type-checks as the module it shows.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { CORE_WASM_DECLARATION } from "../scripts/build.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

const readme = readFileSync(join(root, "README.md"), "utf8");

/** Every ```ts block of the README, with the line it starts on. */
function codeBlocks(): { line: number; index: number; code: string }[] {
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => ({
    line: readme.slice(0, match.index).split("\n").length,
    index: match.index,
    code: match[1]!,
  }));
}

/** The README's "A first program" code block. */
function firstProgram(): string {
  const section = readme.indexOf("## A first program");
  const block = codeBlocks().find(({ index }) => section >= 0 && index > section);
  if (block === undefined) throw new Error("no code block under 'A first program'");
  return block.code;
}

/** Runs `body` with a fresh temporary folder, removed afterwards. */
function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "wasyncio-readme-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("the README's first program prints 10 twice and cleans up its task", () => {
  inTempDir((dir) => {
    const file = join(dir, "first.mts");
    const source = firstProgram().replace(`from "wasyncio"`, `from ${JSON.stringify(join(root, "src/index.ts"))}`);
    writeFileSync(file, source);
    const tsx = join(root, "node_modules/.bin/tsx");
    const out = execFileSync(tsx, [file], { cwd: root, encoding: "utf8", timeout: 60_000 });
    // Each run prints "cleaned up" when the cancelled task's finally runs, then 10.
    expect(out.trim().split("\n")).toEqual(["cleaned up", "10", "cleaned up", "10"]);
  });
});

it("every TypeScript block of the README type-checks against the package", () => {
  const blocks = codeBlocks();
  expect(blocks.length).toBeGreaterThanOrEqual(5);
  inTempDir((dir) => {
    const files = blocks.map(({ line, code }) => {
      const file = `readme-line-${line}.mts`;
      writeFileSync(join(dir, file), code);
      return file;
    });
    // As a user's project sees the package: its declarations, the core.wasm module, and
    // the `?module` declaration the README's Vercel example asks for.
    writeFileSync(
      join(dir, "modules.d.ts"),
      `declare module "wasyncio/core.wasm" {\n${CORE_WASM_DECLARATION.replace("./index.js", "wasyncio")}}\n` +
        `declare module "*.wasm?module" { const m: WebAssembly.Module; export default m; }\n`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          lib: ["ES2022", "DOM"],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          paths: { wasyncio: [join(root, "src/index.ts")] },
        },
        files: [...files, "modules.d.ts"],
      }),
    );
    const tsc = join(root, "node_modules/.bin/tsc");
    let output = "";
    try {
      execFileSync(tsc, ["-p", join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });
});

it("the README's inspection examples print what the comments under them show", () => {
  const section = readme.indexOf("### Inspecting and debugging");
  const end = readme.indexOf("\n### ", section + 1);
  const blocks = codeBlocks().filter(({ index }) => section >= 0 && index > section && index < end);
  expect(blocks.length).toBe(3);
  inTempDir((dir) => {
    for (const [i, { code }] of blocks.entries()) {
      const lines = code.trimEnd().split("\n");
      let firstComment = lines.length;
      while (firstComment > 0 && lines[firstComment - 1]!.startsWith("// ")) firstComment--;
      let shown = lines.slice(firstComment).map((line) => line.slice("// ".length));
      expect(shown.length).toBeGreaterThan(2);
      let program = code.replace(`from "wasyncio"`, `from ${JSON.stringify(join(root, "src/index.ts"))}`);
      // What is printed once the collector takes something: collect, then compare the
      // report's lines down to the first frame, whose file is this test's copy.
      const afterCollection = shown[0]!.startsWith("Once the collector");
      if (afterCollection) {
        shown = shown.slice(1, 4);
        program += "\nfor (let i = 0; i < 10; i++) { gc!(); await new Promise((resolve) => setTimeout(resolve, 0)); }\n";
      }
      const file = join(dir, `inspect-${i}.mts`);
      writeFileSync(file, program);
      const tsx = join(root, "node_modules/tsx/dist/loader.mjs");
      const run = spawnSync(process.execPath, ["--expose-gc", "--import", tsx, file], {
        cwd: root,
        encoding: "utf8",
        timeout: 60_000,
      });
      // Reports go to console.warn, which writes to stderr.
      const printed = (run.stdout + run.stderr).trimEnd().split("\n");
      if (!afterCollection) {
        expect(printed).toEqual(shown);
        continue;
      }
      expect(printed.slice(0, 2)).toEqual(shown.slice(0, 2));
      expect(printed[2]).toMatch(new RegExp(`^${shown[2]!.split("(")[0]!.replace(/\*/g, "\\*")}\\(.*inspect-${i}\\.mts:7:11\\)$`));
    }
  });
});
