// `npm run check:package`: the built package (`npm run build` first) as its users get it.
// - The manifest lists no dependency of any kind.
// - publint and arethetypeswrong: the manifest, the exports map and the type resolution.
// - A user's program type-checked against dist/*.d.ts, strict and with skipLibCheck off,
//   once as a Node project (@types/node, no DOM lib), once as a browser project, and once
//   with an ES2020 lib: a declaration that names something the build stripped, or a
//   global one of those projects lacks, fails here.
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
const checks = [
  ["npx", ["publint", "--strict"]],
  ["npx", ["attw", "--pack", ".", "--profile", "esm-only"]],
  ["npx", ["tsc", "-p", "test/package/tsconfig.json"]],
  ["npx", ["tsc", "-p", "test/package/tsconfig.dom.json"]],
  // A project whose lib predates AggregateError (ES2021), as older templates' are.
  ["npx", ["tsc", "-p", "test/package/tsconfig.es2020.json"]],
  // CommonJS code loads the ES module with require(), as Node 20.19 and 22.12 allow: the
  // module has no top-level await, which would make that fail.
  ["node", ["--input-type=commonjs", "-e", REQUIRE_CHECK]],
];
for (const [command, args] of checks) {
  console.log(`> ${command} ${args.join(" ")}`);
  const { status } = spawnSync(command, args, { stdio: "inherit", env });
  if (status !== 0) process.exit(status ?? 1);
}
