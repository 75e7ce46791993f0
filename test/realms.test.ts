// Values from another realm (a VM context here; an iframe in a browser) fail `instanceof`
// and identity checks against this realm's built-ins: the runtime must still take them.
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { createTask, Lock, run, sleep, type Yielded } from "../src/index.ts";
import { CORES } from "./helpers.ts";

for (const core of CORES) {
  it(`a generator function of another realm runs as a task body, and in with() (${core} core)`, async () => {
    const foreign = runInNewContext("(function* () { return (yield* sleep(5, 'slept')) + ' in a VM'; })", {
      sleep,
    }) as () => Generator<Yielded, string, unknown>;
    expect(foreign).not.toBeInstanceOf(Function); // really another realm's function
    const lock = new Lock();
    const out = await run(
      function* () {
        const task = createTask(foreign);
        return [yield* task, yield* lock.with(foreign), lock.locked()];
      },
      { core, clock: "virtual" },
    );
    expect(out).toEqual(["slept in a VM", "slept in a VM", false]);
  });
}
