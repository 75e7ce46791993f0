/**
 * `npm run bench:articles`: the reference articles' two measurements, reproduced on the
 * real clock.
 *
 *   1. "the async version is faster by a factor of 2.5x" for a sleeping function
 *      (sleep-claim.ts);
 *   2. the fetch table, 1 to 500 requests (fetch-approaches.ts), against a local server
 *      with 100 ms of latency (server.ts).
 *
 * Prints both tables, writes the plot to examples/fetch-times.svg (svg.ts) and the
 * tables with their explanation between the markers of examples/README.md
 * (readme-block.ts). Budget: a little over 2 minutes with the core's build (about 10 s),
 * most of it measuring the sequential and worker-pool columns. The server lives in this
 * process and is closed in a `finally`, so nothing outlives the script.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { approaches, closeWorkerPool, SEMAPHORE_SLOTS, WORKER_THREADS } from "./fetch-approaches.ts";
import { measureFetchTable, RUNS } from "./fetch-runs.ts";
import { writeReadmeBlock } from "./readme-block.ts";
import {
  type Environment,
  fetchChart,
  type FetchSetup,
  fetchTable,
  fetchWhy,
  type FetchRow,
  readmeBlock,
  SLEEP_WHY,
  sleepTable,
  wrap,
} from "./report.ts";
import { startLatencyServer } from "./server.ts";
import { measureSleepCase, type SleepResult, sleepCases } from "./sleep-claim.ts";
import { lineChartSvg } from "./svg.ts";
import { textTable } from "./table.ts";

const LATENCY_MS = 100;
const FREQUENCIES = [1, 10, 50, 100, 500];
const SLEEP_UNIT_MS = 250;
/** A hung request must not hang the script: past this, it says so and exits non-zero. */
const WATCHDOG_MS = 180_000;

const README = fileURLToPath(new URL("../../examples/README.md", import.meta.url));
const SVG = fileURLToPath(new URL("../../examples/fetch-times.svg", import.meta.url));
const SVG_FROM_README = "fetch-times.svg";

function heading(text: string): void {
  console.log(`\n${text}\n${"=".repeat([...text].length)}`);
}

function paragraphs(texts: string[]): void {
  for (const text of texts) console.log(`\n${wrap(text)}`);
}

async function measureSleeps(): Promise<SleepResult[]> {
  const results: SleepResult[] = [];
  // One after another: the blocking version must not run while anything else waits.
  for (const c of sleepCases(SLEEP_UNIT_MS)) results.push(await measureSleepCase(c));
  return results;
}

async function main(): Promise<void> {
  const started = performance.now();
  const env: Environment = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: os.cpus().length,
    // Other processes competing for the cores show up here, and in the timings.
    load: os.loadavg().map((l) => l.toFixed(2)).join(" / "),
    core: "",
  };
  console.log("wasyncio: the reference articles' measurements, reproduced on the real clock");
  console.log(`Node ${env.node}, ${env.cpu} (${env.cores} cores), ${os.platform()} ${os.arch()}, load average ${env.load}`);

  heading(`1. "The async version is faster by a factor of 2.5x" (a function that sleeps)`);
  console.log(`sync: N blocking sleeps in a row (Atomics.wait); async: N wasyncio tasks sleeping at once (gather).`);
  const sleep = await measureSleeps();
  env.core = sleep[0]!.core;
  const s = sleepTable(sleep);
  console.log(`\n${textTable(s.headers, s.rows)}`);
  paragraphs(SLEEP_WHY);

  heading(`2. The fetch table: n requests to 127.0.0.1 with ${LATENCY_MS} ms of server latency`);
  const server = await startLatencyServer(LATENCY_MS);
  let rows: FetchRow[];
  try {
    console.log(`server: ${server.url} (this process, loopback only)`);
    rows = await measureFetchTable(server, approaches, FREQUENCIES, (line) => console.log(`  ${line}`));
  } finally {
    await closeWorkerPool();
    await server.close();
  }
  const columns = approaches.map(({ key, label }) => ({ key, label }));
  const f = fetchTable(columns, rows);
  console.log(`\nSeconds (median of ${RUNS} runs; sequential: 1 run). wasyncio on its ${env.core} core.\n${textTable(f.headers, f.rows)}`);
  const setup: FetchSetup = {
    latencyMs: LATENCY_MS,
    slots: SEMAPHORE_SLOTS,
    sequentialCap: approaches.find((a) => a.key === "sequential")!.maxRequests,
    runs: RUNS,
    workers: WORKER_THREADS,
  };
  paragraphs(fetchWhy(setup, rows));

  writeFileSync(SVG, lineChartSvg(fetchChart(columns, rows, LATENCY_MS, env)));
  const seconds = (performance.now() - started) / 1000;
  writeReadmeBlock(
    README,
    readmeBlock({
      env,
      sleepUnitMs: SLEEP_UNIT_MS,
      sleep,
      fetchColumns: columns,
      fetchRows: rows,
      setup,
      svgPath: SVG_FROM_README,
      seconds,
    }),
  );
  console.log(`\nWrote examples/fetch-times.svg and the measurements block of examples/README.md.`);
  console.log(`Measured in ${seconds.toFixed(1)} s.`);
}

// unref: the watchdog must not itself keep the process alive once main is done.
const watchdog = setTimeout(() => {
  console.error(`bench:articles: still running after ${WATCHDOG_MS / 1000} s, giving up`);
  process.exit(1);
}, WATCHDOG_MS).unref();

main().then(
  () => clearTimeout(watchdog),
  (error: unknown) => {
    clearTimeout(watchdog);
    console.error(error);
    process.exitCode = 1;
  },
);
