// What a long-running program must not keep: checked by letting the garbage collector
// take it (Node and Bun; the browser run leaves this file out, see ./garbage.ts).
import { expect, it } from "vitest";
import { createTask, sleep, until } from "../src/index.ts";
import { collectUntil } from "./garbage.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

forEachCore("retention", (core) => {
  it("a cancelled until() on a promise that never settles lets go of its AbortController and signal", async () => {
    const never = new Promise<never>(() => {});
    const signals: WeakRef<AbortSignal>[] = [];
    await runVirtual(core, function* () {
      for (let i = 0; i < 10; i++) {
        const waiting = createTask(() =>
          until((signal) => {
            signals.push(new WeakRef(signal));
            return never;
          }),
        );
        yield* sleep(1);
        waiting.cancel();
        yield* sleep(1);
      }
    });
    // The promise keeps each future through its callbacks; the future no longer keeps
    // the controller, so the signals go.
    await collectUntil(() => signals.every((signal) => signal.deref() === undefined));
    expect(signals.filter((signal) => signal.deref() !== undefined).length).toBe(0);
    expect(never).toBeInstanceOf(Promise); // kept alive to the end
  });
});
