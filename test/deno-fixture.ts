// Runs a script of test/fixtures/deno/ with the Deno binary the tests fetch, in a cache
// of its own, and gives back the JSON line it prints.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DENO_BINARY } from "./hosts/deno-binary.ts";

/** Runs test/fixtures/deno/`script` with Deno's `permissions` flags; returns its printed outcome. */
export async function runDenoFixture(script: string, permissions: string[]): Promise<unknown> {
  const cache = mkdtempSync(join(tmpdir(), "wasyncio-deno-"));
  try {
    const { stdout } = await promisify(execFile)(
      DENO_BINARY,
      // --sloppy-imports: the sources import their siblings as ./name.js, as tsc wants.
      ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", "--sloppy-imports", ...permissions, fixture(script)],
      { env: { ...process.env, DENO_DIR: cache, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }, timeout: 60_000 },
    );
    return JSON.parse(stdout.trim()) as unknown;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

function fixture(script: string): string {
  return fileURLToPath(new URL(`./fixtures/deno/${script}`, import.meta.url));
}
