// WorkerExecutor over Deno's module Web Workers: the Deno binary the tests fetch
// runs test/fixtures/deno/executor-main.ts, which prints its outcomes.
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runDenoFixture } from "./deno-fixture.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

it("runs calls on Deno's module workers, passes errors back, replaces a worker stopped at a deadline or closed by itself, and lets Deno exit", async () => {
  // A worker's module is read from disk, which Deno asks permission for.
  const outcome = (await runDenoFixture("executor-main.ts", [`--allow-read=${ROOT}`])) as Record<string, unknown>;
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
    // Nor when it exits (Deno.exit): serveExecutor tells the pool first.
    exited: "RuntimeError: the worker running exitWith() failed: it exited (Deno.exit(3))",
    afterExit: 0,
    madeToClose: 5,
  });
  expect((outcome.afterTimeout as number[])[1]).toBeGreaterThan(0);
}, 90_000);
