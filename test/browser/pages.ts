// The conformance suite in Chromium on three pages, served from 127.0.0.1 by a
// throwaway static server:
//   csp-strict: `script-src 'self'`                    → Wasm compilation refused → core js
//   csp-wasm:   `script-src 'self' 'wasm-unsafe-eval'` → core wasm
//   vite:       built by `vite build` from an app that imports "wasyncio" as a user's
//               does (through node_modules and the package's exports), with no plugin or
//               option for Wasm                        → core wasm
// and the playground page (web/), built by Vite too, which must draw its first timeline.
// Prints one line per page and exits non-zero if a page fails a scenario, runs none, or
// ends up on the other core.   Run: npx tsx test/browser/pages.ts   (npm run test:pages)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright";
import { build as viteBuild, type Plugin as VitePlugin } from "vite";
import { summaryLine } from "../conformance/scenarios.ts";
import { publishedPackage, ROOT } from "../hosts/bundle.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";
import type { PageResult } from "./page.ts";
import { buildPlayground, checkPlayground } from "./playground-page.ts";

interface PageSpec {
  host: string;
  path: string;
  /** The Content-Security-Policy header the page is served with, if any. */
  policy?: string;
  expectedCore: "js" | "wasm";
}

const PAGES: PageSpec[] = [
  { host: "chromium-csp-strict", path: "/strict.html", policy: "script-src 'self'", expectedCore: "js" },
  { host: "chromium-csp-wasm", path: "/wasm.html", policy: "script-src 'self' 'wasm-unsafe-eval'", expectedCore: "wasm" },
  { host: "chromium-vite-build", path: "/vite/index.html", expectedCore: "wasm" },
];

const PAGE_TIMEOUT_MS = 30_000;
const WATCHDOG_MS = 120_000;
const PAGE_SCRIPT = fileURLToPath(new URL("./page.ts", import.meta.url));
/** A page's entry module: the package is `sideEffects: false`, so it calls the page's script. */
const PAGE_ENTRY = `import { runPage } from ${JSON.stringify(PAGE_SCRIPT)};\nrunPage();\n`;

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>wasyncio conformance under CSP</title></head>
<body><script src="/suite.js"></script></body></html>
`;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
};

interface Served {
  body: Uint8Array | string;
  type: string;
  policy?: string;
}

/** The script of the CSP pages: page.ts and the published package, bundled by esbuild. */
async function bundleSuite(): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents: PAGE_ENTRY, resolveDir: ROOT, loader: "ts" },
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

/**
 * The Vite page: an app in a fresh folder whose node_modules/wasyncio is this package, so
 * Vite resolves it through package.json's exports as in a user's project. The suite
 * imports the runtime by its source path; the one plugin here sends those imports to
 * the package name, and nothing configures Wasm. Returns the built files by URL path.
 */
async function viteApp(): Promise<Map<string, Served>> {
  const app = mkdtempSync(join(tmpdir(), "wasyncio-vite-"));
  try {
    mkdirSync(join(app, "node_modules"));
    symlinkSync(ROOT, join(app, "node_modules", "wasyncio"), "dir");
    writeFileSync(
      join(app, "index.html"),
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>wasyncio in a Vite build</title></head>\n` +
        `<body><script type="module" src="./main.ts"></script></body></html>\n`,
    );
    writeFileSync(join(app, "main.ts"), PAGE_ENTRY);
    const suiteImportsThePackage: VitePlugin = {
      name: "suite-imports-the-package",
      enforce: "pre",
      async resolveId(source) {
        if (!/[\\/]src[\\/]index\.ts$/.test(source)) return null;
        const resolved = await this.resolve("wasyncio", join(app, "main.ts"), { skipSelf: true });
        if (resolved === null || !/[\\/]dist[\\/]index\.js$/.test(resolved.id)) {
          throw new Error(`vite resolved "wasyncio" to ${resolved?.id}, not the package's dist/index.js`);
        }
        return resolved;
      },
    };
    await viteBuild({
      root: app,
      base: "/vite/",
      configFile: false,
      logLevel: "error",
      plugins: [suiteImportsThePackage],
      build: { outDir: join(app, "dist"), emptyOutDir: true },
    });
    const files = new Map<string, Served>();
    const outDir = join(app, "dist");
    for (const file of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const path = join(file.parentPath, file.name);
      const type = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
      files.set(`/vite/${relative(outDir, path).split("\\").join("/")}`, { body: readFileSync(path), type });
    }
    if (![...files.keys()].some((path) => path.endsWith(".js"))) throw new Error("vite build wrote no script");
    return files;
  } finally {
    // The link first, so that removing the folder can never reach the package itself.
    rmSync(join(app, "node_modules", "wasyncio"), { force: true });
    rmSync(app, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const served = new Map<string, Served>([
    ["/suite.js", { body: await bundleSuite(), type: CONTENT_TYPES[".js"]! }],
    ...(await viteApp()),
    ...(await buildPlayground(CONTENT_TYPES)),
  ]);
  for (const page of PAGES) {
    if (page.policy !== undefined) served.set(page.path, { body: HTML, type: CONTENT_TYPES[".html"]!, policy: page.policy });
  }
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = served.get(path);
    if (file) {
      response.writeHead(200, {
        "Content-Type": file.type,
        "Cache-Control": "no-store",
        ...(file.policy === undefined ? {} : { "Content-Security-Policy": file.policy }),
      });
      response.end(file.body);
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
      let result: PageResult | undefined;
      try {
        const response = await page.goto(origin + spec.path);
        const header = response?.headers()["content-security-policy"];
        if (header !== spec.policy) problems.push(`served CSP was ${JSON.stringify(header)}, expected ${JSON.stringify(spec.policy)}`);
        await page.waitForFunction(() => window.__wasyncioPage !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS });
        const text = await page.locator("#report").textContent();
        result = JSON.parse(text ?? "null") as PageResult;
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
    failures += await checkPlayground(browser, origin, PAGE_TIMEOUT_MS);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return failures === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  console.error(`chromium pages: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("chromium pages: runner failed:", error);
    process.exitCode = 1;
  },
);
