// Debug mode in Node: a process that ends because a run() can never finish (exit code 13,
// a top-level await that cannot settle) says what each task of the loop waits on.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("in Node, a process that exits because its run() can never finish reports what each task waits on, and one that calls exit() does not", () => {
  const program = fileURLToPath(new URL("./fixtures/deadlock-program.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));
  const outcomes = ["0", "1", "2", "exit"].map((debug) => {
    // Node's, whichever runtime runs the tests (Bun never ends such a process).
    const { status, stdout, stderr } = spawnSync("node", ["--import", tsx, program], {
      env: { ...process.env, DEBUG: debug, NO_COLOR: "1" },
      encoding: "utf8",
    });
    return { status, stdout, reports: stderr.split("\n").filter((line) => /wasyncio|acquire\(\)/.test(line)) };
  });
  // Node's own exit code for it, and in debug mode only, the tasks and their waits.
  const reported = {
    status: 13,
    stdout: "",
    reports: [
      "wasyncio: the process is exiting because a run() of this loop can never finish (Node's exit code 13): its tasks wait on what will not come",
      expect.stringMatching(/^Task-\d+: acquire\(\) on <Lock \[locked, waiters:2\]>$/),
      "worker: acquire() on <Lock [locked, waiters:2]>",
    ],
  };
  // A process that ends itself, with tasks still waiting, is not stuck: nothing to report.
  const exited = { status: 1, stdout: "", reports: [] };
  expect(outcomes).toEqual([{ status: 13, stdout: "", reports: [] }, reported, reported, exited]);
});

