// The playground page (web/, what `npm run web` serves), built by Vite as it would be
// deployed and opened in Chromium: it must run its first program and draw the timeline.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import type { Browser } from "playwright";
import { build as viteBuild } from "vite";
import { ROOT } from "../hosts/bundle.ts";

/** Where the built page is served. */
export const PLAYGROUND_PATH = "/playground/";

/** Builds web/ with Vite; returns its files by URL path, with their content types. */
export async function buildPlayground(contentTypes: Record<string, string>): Promise<Map<string, { body: Uint8Array; type: string }>> {
  const outDir = mkdtempSync(join(tmpdir(), "wasyncio-playground-"));
  try {
    await viteBuild({
      root: join(ROOT, "web"),
      base: PLAYGROUND_PATH,
      configFile: false,
      logLevel: "error",
      build: { outDir, emptyOutDir: true },
    });
    const files = new Map<string, { body: Uint8Array; type: string }>();
    for (const file of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const path = join(file.parentPath, file.name);
      const url = PLAYGROUND_PATH + relative(outDir, path).split("\\").join("/");
      files.set(url, { body: readFileSync(path), type: contentTypes[extname(path)] ?? "application/octet-stream" });
    }
    return files;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Opens the built page, waits for its first program's timeline and prints one line in the
 * runners' "<host>: N passed, N failed (core: …)" form. Returns the number of failures.
 */
export async function checkPlayground(browser: Browser, origin: string, timeoutMs: number): Promise<number> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.stack ?? error.message));
  try {
    await page.goto(`${origin}${PLAYGROUND_PATH}index.html`);
    await page.waitForSelector(".chart svg g.row", { timeout: timeoutMs });
    const summary = (await page.locator(".summary").textContent()) ?? "";
    const rows = await page.locator(".chart svg g.row").count();
    const tree = await page.locator(".moment li").count();
    const core = /on the (\w+) core/.exec(summary)?.[1] ?? "unknown";
    const problems = [...errors];
    // The first program gathers three coroutines under main: four rows, in 3000 ms.
    if (!summary.startsWith("3000 ms of virtual time")) problems.push(`summary: ${JSON.stringify(summary)}`);
    if (rows !== 4) problems.push(`${rows} timeline rows, expected 4`);
    if (tree === 0) problems.push("no task tree under the chart");
    console.log(`chromium-playground: ${problems.length === 0 ? 1 : 0} passed, ${problems.length === 0 ? 0 : 1} failed (core: ${core})`);
    if (problems.length > 0) console.error(`chromium-playground FAILED:\n  ${problems.join("\n  ")}`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    console.log("chromium-playground: 0 passed, 1 failed (core: unknown)");
    console.error(`chromium-playground FAILED: ${error instanceof Error ? error.message : String(error)}\n  ${errors.join("\n  ")}`);
    return 1;
  } finally {
    await page.close();
  }
}
