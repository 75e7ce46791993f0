// `npm run check:package`: the built package (`npm run build` first) as its users get it.
// - The manifest lists no dependency of any kind.
// - publint and arethetypeswrong: the manifest, the exports map and the type resolution.
// - A user's program type-checked against dist/*.d.ts, strict and with skipLibCheck off,
//   once as a Node project (@types/node, no DOM lib), once as a browser project, and once
//   with an ES2020 lib: a declaration that names something the build stripped, or a
//   global one of those projects lacks, fails here. Each with TypeScript 5 and 7, and
//   once more with 7 and no options at all (its defaults).
// - A user's mistakes (a `yield` missing its `*`) refused by both, with the README's words.
// - CommonJS code can require() it.
// Packing runs without lifecycle scripts: `prepack` would build again what the caller
// has just built.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

// What installing wasyncio installs besides it: nothing. Test tools such as the Deno
// and Node binaries are fetched by the tests (test/hosts/npm-binary.ts), not listed here.
const manifest = JSON.parse(readFileSync("package.json", "utf8"));
for (const field of ["dependencies", "optionalDependencies", "peerDependencies", "bundleDependencies"]) {
  if (manifest[field] !== undefined) {
    console.error(`package.json: "${field}" would install with wasyncio for every user; the runtime has none`);
    process.exit(1);
  }
}

const env = { ...process.env, npm_config_ignore_scripts: "true" };
const REQUIRE_CHECK = `const { run, sleep } = require("./dist/index.js");
run(function* () { return yield* sleep(1, "required"); }).then((v) => {
  if (v !== "required") process.exit(1);
  console.log("require(): the package runs from CommonJS");
});`;
// The TypeScript a user's project compiles with: the 5.x line, and the native compiler
// of 7 (installed as "typescript-7", whose `tsc` does not shadow the 5.x one).
const typeScript7 = ["node", ["node_modules/typescript-7/bin/tsc"]];
const compilers = [["npx", ["tsc"]], typeScript7];
const checks = [
  ["npx", ["publint", "--strict"]],
  ["npx", ["attw", "--pack", ".", "--profile", "esm-only"]],
  ...compilers.flatMap(([command, args]) => [
    [command, [...args, "-p", "test/package/tsconfig.json"]],
    [command, [...args, "-p", "test/package/tsconfig.dom.json"]],
    // A project whose lib predates AggregateError (ES2021), as older templates' are.
    [command, [...args, "-p", "test/package/tsconfig.es2020.json"]],
  ]),
  // A project that sets nothing, with 7's defaults (strict, ES modules, no @types).
  [typeScript7[0], [...typeScript7[1], "-p", "test/package/tsconfig.defaults.json"]],
  // CommonJS code loads the ES module with require(), as Node 20.19 and 22.12 allow: the
  // module has no top-level await, which would make that fail.
  ["node", ["--input-type=commonjs", "-e", REQUIRE_CHECK]],
];
for (const [command, args] of checks) {
  console.log(`> ${command} ${args.join(" ")}`);
  const { status } = spawnSync(command, args, { stdio: "inherit", env });
  if (status !== 0) process.exit(status ?? 1);
}
for (const [command, args] of compilers) expectMistakesRefused(command, [...args, "-p", "test/package/tsconfig.mistakes.json"]);

/**
 * Compiles test/package/mistakes.ts, which must fail exactly on its lines marked
 * `// error: <text>`, each with an error that contains that text (the words the README
 * promises for a `yield` missing its `*`).
 */
function expectMistakesRefused(command, args) {
  console.log(`> ${command} ${args.join(" ")} (must refuse each marked line)`);
  const expected = new Map();
  readFileSync("test/package/mistakes.ts", "utf8")
    .split("\n")
    .forEach((line, index) => {
      const marked = /\/\/ error: (.*)$/.exec(line);
      if (marked) expected.set(index + 1, marked[1]);
    });
  const { status, stdout } = spawnSync(command, args, { encoding: "utf8", env });
  // An error starts at a line "file(line,column): error TSnnnn: ..."; what follows, indented, explains it.
  const errors = new Map();
  let current = 0;
  for (const line of stdout.split("\n")) {
    const start = /^test\/package\/mistakes\.ts\((\d+),\d+\): error/.exec(line);
    if (start) errors.set((current = Number(start[1])), "");
    if (current) errors.set(current, errors.get(current) + line + "\n");
  }
  const wrong = [];
  if (status === 0) wrong.push("it compiled");
  for (const [line, text] of expected) {
    if (!errors.get(line)?.includes(text)) wrong.push(`line ${line}: no error that says "${text}"`);
  }
  for (const line of errors.keys()) if (!expected.has(line)) wrong.push(`line ${line}: an error not marked`);
  if (wrong.length > 0) {
    console.error(`${stdout}mistakes.ts: ${wrong.join("; ")}`);
    process.exit(1);
  }
  console.log(`mistakes.ts: ${expected.size} refused as marked`);
}
