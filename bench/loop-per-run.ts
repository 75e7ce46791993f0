/**
 * `npm run bench:runs`: what a loop per `run()` costs, as a server or an edge function
 * that runs one per request pays, and a test suite with one per test. Reported, for each
 * core: µs to make and close an EventLoop, and µs for a whole `run()` of a gather of two
 * `sleep(0)`s, over three rounds (the first is the cold one). There is no anchor: the
 * figure to watch is the Wasm core against the JS core, which is cheap to make.
 *
 *   npm run bench:runs -- [loops]
 */
import { EventLoop, gather, run, sleep } from "../src/index.ts";

const loops = Number(process.argv[2] ?? 2_000);

for (const core of ["wasm", "js"] as const) {
  for (let round = 1; round <= 3; round++) {
    let start = performance.now();
    for (let i = 0; i < loops; i++) new EventLoop({ core }).close();
    const made = ((performance.now() - start) * 1000) / loops;
    start = performance.now();
    for (let i = 0; i < loops / 4; i++) {
      await run(function* () {
        yield* gather([sleep(0), sleep(0)]);
      }, { core });
    }
    const ran = ((performance.now() - start) * 1000) / (loops / 4);
    console.log(`${core} core, round ${round}: new EventLoop().close() ${made.toFixed(1)} µs, run() ${ran.toFixed(1)} µs`);
  }
}
