// The conformance suite in Chromium under a Content-Security-Policy, on two pages served
// from 127.0.0.1 by a throwaway static server:
//   strict: `script-src 'self'`                       → Wasm compilation refused → core js
//   wasm:   `script-src 'self' 'wasm-unsafe-eval'`    → core wasm
// Prints one line per page and exits non-zero if a page fails a scenario, runs none, or
// ends up on the other core.   Run: npx tsx test/browser/csp.ts   (npm run test:csp)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright";
import { summaryLine } from "../conformance/scenarios.ts";
import { publishedPackage } from "../hosts/bundle.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";
import type { CspPageResult } from "./csp-page.ts";

interface PageSpec {
  host: string;
  path: string;
  policy: string;
  expectedCore: "js" | "wasm";
}

const PAGES: PageSpec[] = [
  { host: "chromium-csp-strict", path: "/strict.html", policy: "script-src 'self'", expectedCore: "js" },
  { host: "chromium-csp-wasm", path: "/wasm.html", policy: "script-src 'self' 'wasm-unsafe-eval'", expectedCore: "wasm" },
];

const PAGE_TIMEOUT_MS = 30_000;
const WATCHDOG_MS = 90_000;

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>wasyncio conformance under CSP</title></head>
<body><script src="/suite.js"></script></body></html>
`;

async function bundleSuite(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./csp-page.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
    plugins: [publishedPackage],
  });
  return result.outputFiles[0]!.contents;
}

async function main(): Promise<number> {
  const suite = await bundleSuite();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const page = PAGES.find((p) => p.path === path);
    if (page) {
      response.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": page.policy,
        "Cache-Control": "no-store",
      });
      response.end(HTML);
    } else if (path === "/suite.js") {
      response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" });
      response.end(suite);
    } else if (path === "/favicon.ico") {
      response.writeHead(204);
      response.end();
    } else {
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  let failures = 0;
  try {
    for (const spec of PAGES) {
      const problems: string[] = [];
      const context = await browser.newContext();
      const page = await context.newPage();
      const log: string[] = [];
      page.on("console", (message) => log.push(`console.${message.type()}: ${message.text()}`));
      page.on("pageerror", (error) => log.push(`pageerror: ${error.stack ?? error.message}`));
      let result: CspPageResult | undefined;
      try {
        const response = await page.goto(origin + spec.path);
        const header = response?.headers()["content-security-policy"];
        if (header !== spec.policy) problems.push(`served CSP was ${JSON.stringify(header)}, expected ${JSON.stringify(spec.policy)}`);
        await page.waitForFunction(() => window.__wasyncioCsp !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS });
        const text = await page.locator("#report").textContent();
        result = JSON.parse(text ?? "null") as CspPageResult;
      } catch (error) {
        problems.push(`the page did not publish a report: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await context.close();
      }

      const report = result?.report;
      if (report) {
        console.log(summaryLine(spec.host, report));
        if (report.core !== spec.expectedCore) problems.push(`expected core ${spec.expectedCore}, the suite ran on ${report.core}`);
        if (report.passed === 0) problems.push("no scenario passed");
        if (report.failed !== 0) problems.push(`${report.failed} scenario(s) failed`);
        for (const f of report.failures) problems.push(`  ${f.name}: ${f.error}`);
      } else {
        console.log(`${spec.host}: no report`);
        if (result?.error) problems.push(`the suite threw: ${result.error}`);
      }
      const refused = result?.compile.startsWith("refused") ?? false;
      if (result && refused !== (spec.expectedCore === "js")) {
        problems.push(`compiling the inlined Wasm: ${result.compile} (expected ${spec.expectedCore === "js" ? "a refusal" : "success"})`);
      }
      if (problems.length > 0) {
        failures++;
        console.error(`${spec.host} FAILED:\n  ${problems.join("\n  ")}`);
        if (log.length > 0) console.error(`  page log:\n    ${log.join("\n    ")}`);
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return failures === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  console.error(`chromium-csp: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("chromium-csp: runner failed:", error);
    process.exitCode = 1;
  },
);
