/**
 * "Different Event Loop Implementations: asyncio, uvloop, and More". uvloop swaps
 * asyncio's event loop for a faster one with the same behaviour:
 *
 * ```python
 * import uvloop
 *
 * async def main():
 *     print("Running with uvloop!")
 *     await asyncio.sleep(1)
 *     print("Done.")
 *
 * if __name__ == "__main__":
 *     uvloop.install() # Set uvloop as the event loop policy
 *     asyncio.run(main())
 * ```
 *
 * wasyncio's counterpart is the choice of scheduler core: the WebAssembly one (the
 * default where the host can compile Wasm) or the pure TypeScript one, per loop with
 * `run(main, { core: "wasm" | "js" })` instead of a process-wide policy. The two are
 * meant to be indistinguishable except for speed (`npm run bench` compares them, see
 * BENCHMARKS.md), and the whole test suite runs on both. This example runs main on the
 * chosen core (`--core`, default Wasm) and then on the other, and checks that both
 * printed the same lines (but for the core's name), returned the same, and, in virtual
 * time, ended at the same loop time. Output with the default core:
 *
 * ```
 * Running with the wasm core!
 * Done.
 * Running with the js core!
 * Done.
 * Same output, result and timing on both cores: True
 * ```
 *
 * Total time: exactly 1,000 ms per run, 2,000 ms for the two (the loop time reported is
 * their sum).
 */
import { type Coroutine, getRunningLoop, run, sleep } from "../../src/index.ts";
import { type Example, type ExampleRun, measured, type RunOptions } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

type Core = "wasm" | "js";

/** main, returning what it printed with the core's name masked, to compare the cores. */
export function* main(): Coroutine<string[]> {
  const printed: string[] = [];
  const say = (line: string): void => {
    print(line);
    printed.push(line.replace(getRunningLoop().core, "<core>"));
  };
  say(`Running with the ${getRunningLoop().core} core!`);
  yield* sleep(1000);
  say("Done.");
  return printed;
}

/** Not in the article: each run, for the tests. */
export interface CoreRuns {
  runs: ExampleRun<string[]>[];
  same: boolean;
}

export const example: Example<CoreRuns> = {
  name: "choose-core",
  title: "uvloop's counterpart: choosing the Wasm or the JS scheduler core",
  article: article.slug,
  section: "Different Event Loop Implementations: asyncio, uvloop, and More",
  explanation: "Like uvloop.install(), run(main, { core }) swaps the scheduler: main runs on each core, with identical results.",
  async run({ clock = "virtual", core }: RunOptions = {}): Promise<ExampleRun<CoreRuns>> {
    const first = await run(measured(main()), { clock, core });
    const other: Core = first.core === "wasm" ? "js" : "wasm";
    const second = await run(measured(main()), { clock, core: other });
    const same =
      first.core !== second.core &&
      JSON.stringify(first.value) === JSON.stringify(second.value) &&
      (clock === "real" || first.loopTime === second.loopTime);
    print("Same output, result and timing on both cores:", same);
    return {
      value: { runs: [first, second], same },
      loopTime: first.loopTime + second.loopTime,
      core: first.core,
    };
  },
};
