// WorkerExecutor over Deno's module Web Workers: the Deno binary of the optional
// dependency runs test/fixtures/deno/executor-main.ts, which prints its outcomes.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { DENO_BINARY } from "./hosts/deno-binary.ts";

const MAIN = fileURLToPath(new URL("./fixtures/deno/executor-main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

it("runs calls on Deno's module workers, passes errors back, replaces a worker stopped at a deadline or closed by itself, and lets Deno exit", async () => {
  const cache = mkdtempSync(join(tmpdir(), "wasyncio-deno-"));
  try {
    const { stdout } = await promisify(execFile)(
      DENO_BINARY,
      // --sloppy-imports: the sources import their siblings as ./name.js, as tsc wants.
      // A worker's module is read from disk, which Deno asks permission for.
      ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", "--sloppy-imports", `--allow-read=${ROOT}`, MAIN],
      { env: { ...process.env, DENO_DIR: cache, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }, timeout: 60_000 },
    );
    const outcome = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(outcome).toEqual({
      squares: [4, 9, 16],
      failed: "RangeError: too big",
      timedOut: "TimeoutError",
      // The worker stopped at the deadline was replaced: of the next two calls, one ran
      // on a fresh worker (its first call), one on the other worker.
      afterTimeout: [0, expect.any(Number)],
      made: 3,
      // A worker that closes itself (self.close()) fails the call it runs, and the next
      // call goes to a new worker, whether it closed during a call, from a timer while
      // running another, or while idle.
      closedInCall: "RuntimeError: the worker running closeSelf() failed: it closed itself (close())",
      answered: "answered",
      closedWhileBusy: "RuntimeError: the worker running later() failed: it closed itself (close())",
      afterClosed: 0,
      madeToClose: 4,
    });
    expect((outcome.afterTimeout as number[])[1]).toBeGreaterThan(0);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}, 90_000);
