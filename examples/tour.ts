/**
 * The tour: every example, in article order. Each gets a one-line explanation, its
 * output, and the time it took.
 *
 *   npm start                 virtual time: the tour's sleeps take no time; only the
 *                             workers' real work does (about 3 s in all)
 *   npm start -- --real       real time: really waits (about 80 s)
 *   npm start -- --core=js    the JavaScript scheduler core instead of the Wasm one
 */
import { articles } from "./index.ts";
import { parseArgs, present } from "./lib/present.ts";

const { options, rest, error } = parseArgs(process.argv.slice(2));
if (error !== undefined || rest.length > 0) {
  console.error(error ?? `unexpected argument ${rest[0]}`);
  console.error("usage: npm start [-- --real] [--core=wasm|js]");
  process.exit(1);
}

const clock = options.clock ?? "virtual";
console.log(
  clock === "virtual"
    ? "wasyncio tour, in virtual time: sleeps take no real time and timings are exact (npm start -- --real to really wait);\nwhat workers and servers do on their own threads and sockets still takes the real time it takes."
    : "wasyncio tour, in real time: sleeps really wait, about 80 s in all.",
);

const tourStart = performance.now();
let loopTotal = 0;
for (const { article, examples } of articles) {
  console.log(`\n━━ ${article.title} ━━`);
  for (const [i, example] of examples.entries()) {
    const heading = `\n[${i + 1}/${examples.length}] ${example.section}  (npm run example -- ${example.name})`;
    const { run } = await present(example, options, heading);
    loopTotal += run.loopTime;
  }
}
const wall = performance.now() - tourStart;
console.log(
  `\nDone: ${(loopTotal / 1000).toFixed(3)} s of loop time in ${(wall / 1000).toFixed(3)} s of real time.`,
);
