// The README's first program runs, and prints what the README says it prints.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The README's "A first program" code block. */
function firstProgram(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A first program"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error("no code block under 'A first program'");
  return match[1]!;
}

it("the README's first program prints 10 twice and cleans up its task", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasyncio-readme-"));
  try {
    const file = join(dir, "first.mts");
    const source = firstProgram().replace(`from "wasyncio"`, `from ${JSON.stringify(join(root, "src/index.ts"))}`);
    writeFileSync(file, source);
    const tsx = join(root, "node_modules/.bin/tsx");
    const out = execFileSync(tsx, [file], { cwd: root, encoding: "utf8", timeout: 60_000 });
    // Each run prints "cleaned up" when the cancelled task's finally runs, then 10.
    expect(out.trim().split("\n")).toEqual(["cleaned up", "10", "cleaned up", "10"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
