// Deno polls the network only every hundred or so immediates: a loop kept busy by its
// tasks yields every 8 ms, and unless some of those yields go through setTimeout(0) (see
// src/host.ts), a fetch's answer waited about a second behind a busy task. The Deno
// binary of the optional dependency runs test/fixtures/deno/busy-fetch-main.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { DENO_BINARY } from "./hosts/deno-binary.ts";

const MAIN = fileURLToPath(new URL("./fixtures/deno/busy-fetch-main.ts", import.meta.url));

it("in Deno, a loop kept busy by a task that never waits still lets a fetch's answer in", async () => {
  const cache = mkdtempSync(join(tmpdir(), "wasyncio-deno-"));
  try {
    const { stdout } = await promisify(execFile)(
      DENO_BINARY,
      ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", "--sloppy-imports", "--allow-net=127.0.0.1", MAIN],
      { env: { ...process.env, DENO_DIR: cache, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }, timeout: 60_000 },
    );
    expect(JSON.parse(stdout.trim())).toEqual({ answered: "pong", withinBound: true });
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}, 90_000);
