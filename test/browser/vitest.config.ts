// Vitest browser mode in headless Debian Chromium, through Playwright:
//   npx vitest run --config test/browser/vitest.config.ts      (npm run test:browser)
// Runs the host-neutral conformance suite (printing the `chromium: ...` line) and the
// regular test/*.test.ts files that use no Node APIs. Kept apart from ../../vitest.config.ts
// so that `npx vitest run` stays the Node run it has always been.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Test files that cannot run in a page:
 * - any that imports a Node builtin (`node:...`), esbuild, typescript, the benchmarks (Node-only
 *   scripts), ./garbage.ts (it collects garbage through `node:v8`) or ./deno-fixture.ts
 *   (it starts Deno) (examples: child
 *   processes; size: esbuild + zlib; articles-bench: node:fs), found by reading the files
 *   so new ones are skipped too;
 * - core-fallback.test.ts and fresh-runtime.test.ts: they rely on `vi.resetModules()` to
 *   load a fresh copy of the runtime (the first stubbing `WebAssembly`), which browser mode
 *   (native ES modules) cannot do.
 *   The fallback is covered in Chromium for real by the CSP pages (test/browser/pages.ts).
 */
const nodeOnly = [
  "test/core-fallback.test.ts",
  "test/fresh-runtime.test.ts",
  ...readdirSync(new URL("../", import.meta.url))
    .filter((name) => name.endsWith(".test.ts"))
    .filter((name) => /from\s+["'](node:|esbuild["']|typescript["']|\.\.\/bench\/|\.\/garbage\.ts["']|\.\/deno-fixture\.ts["'])/.test(readFileSync(new URL(`../${name}`, import.meta.url), "utf8")))
    .map((name) => `test/${name}`),
];

export default defineConfig({
  root,
  server: { host: "127.0.0.1" },
  test: {
    name: "chromium",
    include: ["test/browser/**/*.browser.ts", "test/*.test.ts"],
    exclude: nodeOnly,
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      }),
      instances: [{ browser: "chromium" }],
      api: { host: "127.0.0.1" },
    },
  },
});
