/**
 * What the measurements mean, in words, and the shapes they are shown in: the rows of
 * both tables, the chart's series, and the Markdown block of examples/README.md. The
 * terminal and the README are built from the same rows and the same sentences, so they
 * cannot disagree. Pure functions (no clock, no I/O).
 */
import type { ChartSpec, Marker } from "./svg.ts";
import { formatExpected, formatRatio, formatSeconds, formatTimeCell, markdownTable, type TimeCell } from "./table.ts";
import type { SleepResult } from "./sleep-claim.ts";

export interface Table {
  headers: string[];
  rows: string[][];
}

export interface FetchColumn {
  key: string;
  label: string;
}

export interface FetchRow {
  frequency: number;
  /** By approach key. */
  cells: Record<string, TimeCell>;
}

export interface Environment {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  /** The 1, 5 and 15 minute load averages when the run started. */
  load: string;
  /** The wasyncio scheduler core: "wasm" or "js". */
  core: string;
}

// --- claim 1: the sleeping function -------------------------------------------------

function describeSleeps(sleeps: number[]): string {
  const first = sleeps[0]!;
  const each = sleeps.every((s) => s === first) ? `${first} ms` : `${sleeps.join(", ")} ms`;
  return each;
}

export function sleepTable(results: SleepResult[]): Table {
  return {
    headers: ["Calls", "Each sleeps", "Sync (s)", "Async (s)", "Speed-up", "Sum / longest", "Note"],
    rows: results.map((r) => [
      String(r.sleeps.length),
      describeSleeps(r.sleeps),
      formatSeconds(r.syncSeconds),
      formatSeconds(r.asyncSeconds),
      formatRatio(r.speedup),
      formatExpected(r.expected),
      r.note ?? "",
    ]),
  };
}

export const SLEEP_WHY = [
  "A sleeping call uses no CPU, it only waits. Called one after another (sync: time.sleep, here " +
    "Atomics.wait, which blocks the thread), N calls take the sum of their sleeps. Started together " +
    "as tasks (async: wasyncio's sleep, run with gather), they wait at the same time and take as long " +
    "as the longest. So the speed-up is sum / longest, which for N equal calls is exactly N, the " +
    "number of calls that overlap: async does not make a call faster, it lets calls overlap.",
  "The article's code runs ONE call in each version, so what it measures is 1.0× (2 s both ways): " +
    "its \"2.5×\" cannot come from that code, it is an artefact of some other setup it does not show, " +
    "for instance calls of 2, 2 and 1 s (5 s of sleeping done in 2 s), the last row.",
];

// --- claim 2: the fetch table -------------------------------------------------------

export function fetchTable(columns: FetchColumn[], rows: FetchRow[]): Table {
  return {
    headers: ["Frequency", ...columns.map((c) => c.label)],
    rows: rows.map((row) => [String(row.frequency), ...columns.map((c) => formatTimeCell(row.cells[c.key] ?? null))]),
  };
}

/** The article's own table (Python, a remote "sample URL", threads vs asyncio), for comparison. */
export const ARTICLE_FETCH_TABLE: Table = {
  headers: ["Frequency", "Threading", "Asyncio"],
  rows: [
    ["1", "0.933773", "0.952614"],
    ["10", "1.723719", "1.678606"],
    ["50", "5.962061", "5.917851"],
    ["100", "10.166483", "2.160664"],
    ["500", "47.217773", "7.411433"],
  ],
};

export interface FetchSetup {
  latencyMs: number;
  slots: number;
  /** The largest n sequential awaits are measured for. */
  sequentialCap: number;
  /** Runs per cell of the concurrent approaches (the median is shown). */
  runs: number;
  /** The worker pool's size, if the table has that column (key "workers"). */
  workers?: number;
}

/** A measured (not extrapolated) cell, or null. */
function measured(rows: FetchRow[], frequency: number, key: string): { seconds: number; runs: number[] } | null {
  const cell = rows.find((r) => r.frequency === frequency)?.cells[key] ?? null;
  return cell === null || cell.estimated === true ? null : { seconds: cell.seconds, runs: cell.runs ?? [cell.seconds] };
}

const ms = (seconds: number): string => (seconds * 1000).toFixed(0);
const spread = (runs: number[]): string => `${ms(Math.min(...runs))}–${ms(Math.max(...runs))} ms`;

/**
 * What the gather column says about wasyncio's own cost, next to Promise.all: a
 * difference smaller than the run-to-run spread is not a cost, it is noise, and the text
 * says which of the two this run measured.
 */
export function gatherVersusPromiseAll(n: number, gather: { seconds: number; runs: number[] }, all: { seconds: number; runs: number[] }): string {
  const gapUs = ((gather.seconds - all.seconds) * 1e6) / n;
  const overlap = Math.min(...gather.runs) <= Math.max(...all.runs) && Math.min(...all.runs) <= Math.max(...gather.runs);
  const figures =
    `At ${n} requests gather's median is ${ms(gather.seconds)} ms (runs ${spread(gather.runs)}) and ` +
    `Promise.all's ${ms(all.seconds)} ms (runs ${spread(all.runs)})`;
  const sign = gapUs >= 0 ? "+" : "";
  // Not all of a gap would be the scheduler: the gather column also creates an
  // AbortController per request and hands its signal to fetch, which undici then watches.
  const signal =
    "gather's requests also carry the AbortSignal that until() gives fetch, so that cancelling a task aborts " +
    "its request; Promise.all's carry none.";
  return overlap
    ? `${figures}: the runs overlap, so the difference (${sign}${gapUs.toFixed(0)} µs per request) is within ` +
        `this run's noise. ${signal}`
    : `${figures}: the runs do not overlap, so the difference, ${sign}${gapUs.toFixed(0)} µs per request, is ` +
        `real on this machine: wasyncio's tasks and until() cost that much more than bare promises. ${signal}`;
}

/** The paragraphs under the fetch table; the figures in them come from `rows`. */
export function fetchWhy(setup: FetchSetup, rows: FetchRow[]): string[] {
  const { latencyMs, slots, sequentialCap, runs, workers } = setup;
  const largest = Math.max(...rows.map((r) => r.frequency));
  const paragraphs = [
    `Sequential awaits take n × ${latencyMs} ms although the code is async: nothing overlaps. They are ` +
      `measured up to ${sequentialCap} requests only (500 × ${latencyMs} ms would take ${(500 * latencyMs) / 1000} s ` +
      `on its own): the cells marked (est.) are the ${sequentialCap}-request time × n / ${sequentialCap}, not measurements.`,
  ];
  const all = measured(rows, largest, "promise-all");
  const gathered = measured(rows, largest, "gather");
  if (all !== null && gathered !== null) {
    const cpuMs = ((all.seconds - latencyMs / 1000) * 1000) / largest;
    paragraphs.push(
      `gather and Promise.all start all n requests at once, so they take one latency plus the CPU time of the ` +
        `n requests, and that CPU time is what grows with n: at ${largest} requests, Promise.all took ` +
        `${cpuMs.toFixed(2)} ms per request on top of the latency (Node's fetch and the server, which share ` +
        `this process). ${gatherVersusPromiseAll(largest, gathered, all)}`,
    );
  }
  paragraphs.push(
    `Semaphore(${slots}) takes ceil(n / ${slots}) latencies (1 round up to ${slots} requests, 2 at 100, 10 at ` +
      `500): the price of never having more than ${slots} requests in flight, which is what a real server ` +
      `would like.`,
    `How it was measured: each cell of the concurrent columns is the median of ${runs} runs, in rotating ` +
      `order, after a warm-up that opened the connections (kept alive for the whole run) and compiled the ` +
      `code; sequential awaits ran once. After every run the script checked the ${largest === 1 ? "body" : "bodies"}, ` +
      `the number of requests the server answered, and that the server never saw more requests in flight ` +
      `than the approach allows (1 for sequential awaits, ${slots} behind the semaphore` +
      `${workers === undefined ? "" : `, ${workers} for the worker pool`}).`,
  );
  const pooled = workers === undefined ? null : measured(rows, largest, "workers");
  if (workers !== undefined && pooled !== null) {
    const rounds = Math.ceil(largest / workers);
    paragraphs.push(
      `The Worker pool column is the twin of the article's Threading column: ${workers} workers (threads, ` +
        `node:worker_threads here) each fetch one request at a time, as the threads of a ThreadPoolExecutor run ` +
        `a blocking requests.get, so n requests take ceil(n / ${workers}) latencies: ${rounds} rounds, ` +
        `${((rounds * latencyMs) / 1000).toFixed(1)} s, at ${largest} requests, where it took ` +
        `${pooled.seconds.toFixed(2)} s. Threads help I/O only as far as there are threads; tasks on one ` +
        `loop need none per request.`,
    );
  }
  paragraphs.push(
    "The article's Threading column grows by about 0.1 s per request (10.2 s at 100, 47.2 s at 500): " +
      "its requests ran more or less one after another, like the Sequential column here. Its Asyncio " +
      "column (2.2 s at 100, 7.4 s at 500) is far above one round trip, and its 50 row (5.9 s) is slower " +
      "than its 100 row: those times came from a remote server and from client limits the article does " +
      "not show, not from asyncio itself. A local server with a fixed latency takes that noise away.",
  );
  return paragraphs;
}

const PALETTE: Record<string, { color: string; marker: Marker }> = {
  sequential: { color: "#d62728", marker: "circle" },
  gather: { color: "#1f77b4", marker: "square" },
  semaphore: { color: "#2ca02c", marker: "triangle" },
  "promise-all": { color: "#ff7f0e", marker: "diamond" },
  workers: { color: "#9467bd", marker: "circle" },
};

export function fetchChart(columns: FetchColumn[], rows: FetchRow[], latencyMs: number, env: Environment): ChartSpec {
  return {
    title: `Fetching a local server with ${latencyMs} ms of latency, n times`,
    subtitle: `wasyncio (${env.core} core) and Node ${env.node}, ${env.date}; log-log axes`,
    xLabel: "Frequency (requests)",
    yLabel: "Total time (s)",
    xTicks: rows.map((r) => r.frequency),
    references: [{ y: latencyMs / 1000, label: `one round trip (${latencyMs} ms)` }],
    series: columns.map((c) => ({
      label: c.label,
      ...(PALETTE[c.key] ?? { color: "#333333", marker: "circle" as const }),
      points: rows.flatMap((r) => {
        const cell = r.cells[c.key] ?? null;
        return cell === null ? [] : [{ x: r.frequency, y: cell.seconds, estimated: cell.estimated === true }];
      }),
    })),
  };
}

// --- the README block ---------------------------------------------------------------

export interface ReadmeInput {
  env: Environment;
  sleepUnitMs: number;
  sleep: SleepResult[];
  fetchColumns: FetchColumn[];
  fetchRows: FetchRow[];
  setup: FetchSetup;
  /** Path of the SVG relative to the README. */
  svgPath: string;
  seconds: number;
}

export function readmeBlock(input: ReadmeInput): string {
  const s = sleepTable(input.sleep);
  const f = fetchTable(input.fetchColumns, input.fetchRows);
  const { env } = input;
  return [
    `Written by \`npm run bench:articles\` ([bench/articles/](../bench/articles/)) on ${env.date}: real clock, ` +
      `Node ${env.node}, ${env.cpu} (${env.cores} cores, load average ${env.load}), wasyncio's ${env.core} core; measuring took ` +
      `${input.seconds.toFixed(1)} s. Run it again to replace this section with your machine's numbers.`,
    "",
    `### "The async version is faster by a factor of 2.5x"`,
    "",
    `From "Exploring the World of Asynchronous Programming in Python", for a function that sleeps. Sync ` +
      `is N blocking sleeps in a row, async is N wasyncio tasks sleeping concurrently; after the article's ` +
      `own 2 s case, each call sleeps ${input.sleepUnitMs} ms (the ratio does not depend on it).`,
    "",
    markdownTable(s.headers, s.rows),
    "",
    ...SLEEP_WHY.flatMap((p) => [p, ""]),
    `### The fetch table`,
    "",
    `From "Asynchronous Programming in Python": fetch a URL 1, 10, 50, 100 and 500 times. Here the URL is ` +
      `a node:http server on 127.0.0.1 that answers after ${input.setup.latencyMs} ms, started and stopped by the ` +
      `script; every approach uses Node's fetch. Seconds:`,
    "",
    markdownTable(f.headers, f.rows),
    "",
    `![Total time against the number of requests, per approach, log-log](${input.svgPath})`,
    "",
    ...fetchWhy(input.setup, input.fetchRows).flatMap((p) => [p, ""]),
    "The article's table, for comparison (Python, seconds):",
    "",
    markdownTable(ARTICLE_FETCH_TABLE.headers, ARTICLE_FETCH_TABLE.rows),
  ].join("\n");
}

/** Breaks a paragraph into lines of at most `width` characters, for the terminal. */
export function wrap(text: string, width = 96, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(indent + line);
  return lines.join("\n");
}
