// `npm run check:package`: the built package (`npm run build` first) as its users get it.
// - publint and arethetypeswrong: the manifest, the exports map and the type resolution.
// - A user's program type-checked against dist/*.d.ts, strict and with skipLibCheck off,
//   once as a Node project (@types/node, no DOM lib) and once as a browser project: a
//   declaration that names something the build stripped, or a global one of those
//   projects lacks, fails here.
// Packing runs without lifecycle scripts: `prepack` would build again what the caller
// has just built.
import { spawnSync } from "node:child_process";

const env = { ...process.env, npm_config_ignore_scripts: "true" };
const checks = [
  ["npx", ["publint", "--strict"]],
  ["npx", ["attw", "--pack", ".", "--profile", "esm-only"]],
  ["npx", ["tsc", "-p", "test/package/tsconfig.json"]],
  ["npx", ["tsc", "-p", "test/package/tsconfig.dom.json"]],
];
for (const [command, args] of checks) {
  console.log(`> ${command} ${args.join(" ")}`);
  const { status } = spawnSync(command, args, { stdio: "inherit", env });
  if (status !== 0) process.exit(status ?? 1);
}
