// `npm test`: every check, one after another, then one closing line that adds them up:
// the vitest runs (Node, Bun, then Chromium) report through their JSON files, the host and
// page runners through their "<host>: N passed, N failed (core: …)" lines.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const results = ".test-results";
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const vitestJson = (name) => ["--reporter=default", "--reporter=json", `--outputFile.json=${results}/${name}.json`];

/** [label, command, args, how its tests are counted] */
const steps = [
  ["build the Wasm core and the package", "npm", ["run", "build"], null],
  ["type-check", "npm", ["run", "typecheck"], null],
  ["Node (vitest)", "npx", ["vitest", "run", ...vitestJson("node")], { json: "node" }],
  // The same files on the active LTS line, which most users run (the first run is on the
  // oldest supported), and the conformance suite on the maintenance LTS.
  ["Node 26, active LTS (vitest)", "npx", ["tsx", "test/hosts/node-release.ts", "26", "run", ...vitestJson("node26")], { json: "node26" }],
  ["Node 24, maintenance LTS (conformance)", "npx", ["tsx", "test/hosts/node-release.ts", "24", "run", "test/conformance.test.ts", ...vitestJson("node24")], { json: "node24" }],
  // The same files again in Bun: every test on a second engine (JavaScriptCore).
  ["Bun (vitest, JavaScriptCore)", "npm", ["run", "test:bun", "--", ...vitestJson("bun")], { json: "bun" }],
  ["Deno, Bun, workerd, edge-runtime", "npm", ["run", "test:hosts"], { lines: true }],
  ["Chromium (vitest browser mode)", "npx", ["vitest", "run", "--config", "test/browser/vitest.config.ts", ...vitestJson("browser")], { json: "browser" }],
  ["Chromium pages (CSP, Vite build)", "npm", ["run", "test:pages"], { lines: true }],
  ["package (publint, attw, a user's type-check; built in the first step)", "npm", ["run", "check:package"], null],
];

function runStep(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

let passed = 0;
let failed = 0;
const failedSteps = [];
for (const [label, command, args, counting] of steps) {
  console.log(`\n=== ${label}`);
  const { code, output } = await runStep(command, args);
  if (counting?.json) {
    try {
      const report = JSON.parse(readFileSync(`${results}/${counting.json}.json`, "utf8"));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
    } catch {
      failedSteps.push(`${label} (no report)`);
    }
  }
  if (counting?.lines) {
    for (const match of output.matchAll(/^[^\n]+?: (\d+) passed, (\d+) failed/gm)) {
      passed += Number(match[1]);
      failed += Number(match[2]);
    }
  }
  if (code !== 0) failedSteps.push(label);
}

console.log("");
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join("; ")}`);
if (failedSteps.length > 0 && failed === 0) failed = failedSteps.length;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failedSteps.length > 0 || failed > 0 ? 1 : 0;
