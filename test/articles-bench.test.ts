// The pure parts of `npm run bench:articles` (bench/articles/): the tables, the plot, the
// README block and the words whose figures come from the measurements. The measuring
// itself needs the real clock and a server, and runs with the script, not here.
import { describe, expect, it } from "vitest";
import { gatherVersusPromiseAll, fetchTable, fetchWhy, readmeBlock, sleepTable, wrap, type FetchRow } from "../bench/articles/report.ts";
import { median } from "../bench/articles/fetch-runs.ts";
import { BLOCK_END, BLOCK_START, replaceBlock } from "../bench/articles/readme-block.ts";
import { blockingSleep, expectedSpeedup, sleepCases, type SleepResult } from "../bench/articles/sleep-claim.ts";
import { decadeDomain, escapeXml, lineChartSvg, logScale, type ChartSpec } from "../bench/articles/svg.ts";
import { formatTimeCell, markdownTable, textTable } from "../bench/articles/table.ts";

const ROWS: FetchRow[] = [
  { frequency: 1, cells: { sequential: { seconds: 0.101 }, gather: { seconds: 0.102, runs: [0.102] }, "promise-all": { seconds: 0.1015, runs: [0.1015] } } },
  { frequency: 100, cells: { sequential: { seconds: 10.16 }, gather: { seconds: 0.123, runs: [0.12, 0.123, 0.2] }, "promise-all": { seconds: 0.12, runs: [0.11, 0.12, 0.13] } } },
  { frequency: 500, cells: { sequential: { seconds: 50.8, estimated: true }, gather: { seconds: 0.279, runs: [0.25, 0.279, 0.3] }, "promise-all": { seconds: 0.226, runs: [0.2, 0.226, 0.26] } } },
];
const COLUMNS = [
  { key: "sequential", label: "Sequential" },
  { key: "gather", label: "gather" },
  { key: "promise-all", label: "Promise.all" },
];

describe("tables", () => {
  it("formats measured, extrapolated and missing cells differently", () => {
    expect(formatTimeCell({ seconds: 10.1604 })).toBe("10.160");
    expect(formatTimeCell({ seconds: 50.8, estimated: true })).toBe("≈50.800 (est.)");
    expect(formatTimeCell(null)).toBe("—");
  });

  it("prints text tables with a left-aligned first column and right-aligned numbers, counting × as one column", () => {
    const table = textTable(["Frequency", "Speed-up"], [["1", "1.00×"], ["500", "10.00×"]]);
    expect(table.split("\n")).toEqual(["Frequency  Speed-up", "1             1.00×", "500          10.00×"]);
    expect(textTable(["n", "Note"], [["1", "the article's"], ["10", ""]]).split("\n")).toEqual(["n   Note", "1   the article's", "10"]);
    expect(() => textTable(["a", "b"], [["1"]])).toThrow(/1 cells, expected 2/);
  });

  it("prints Markdown tables with right-aligned number columns, left-aligned text and escaped pipes", () => {
    expect(markdownTable(["n", "a|b", "Note"], [["1", "0.1", "x|y"], ["2", "—", ""]])).toBe(
      "| n | a\\|b | Note |\n| --- | ---: | --- |\n| 1 | 0.1 | x\\|y |\n| 2 | — |  |",
    );
  });

  it("lays the fetch table out as the article does: Frequency, then one column per approach", () => {
    const { headers, rows } = fetchTable(COLUMNS, ROWS);
    expect(headers).toEqual(["Frequency", "Sequential", "gather", "Promise.all"]);
    expect(rows[2]).toEqual(["500", "≈50.800 (est.)", "0.279", "0.226"]);
    // An approach a row has no cell for shows a dash, not a zero.
    expect(fetchTable([{ key: "semaphore", label: "Semaphore(50)" }], ROWS).rows[0]).toEqual(["1", "—"]);
  });

  it("shows the sleep claim's speed-up and its honest value side by side", () => {
    const result: SleepResult = {
      sleeps: [250, 250, 125],
      note: "one way to get 2.5×",
      syncSeconds: 0.625,
      asyncSeconds: 0.251,
      speedup: 0.625 / 0.251,
      expected: 2.5,
      core: "wasm",
    };
    expect(sleepTable([result]).rows[0]).toEqual(["3", "250, 250, 125 ms", "0.625", "0.251", "2.49×", "2.5×", "one way to get 2.5×"]);
  });
});

describe("the sleep claim", () => {
  it("expects a speed-up of sum / longest: the number of calls when they are equal", () => {
    expect(expectedSpeedup([2000])).toBe(1);
    expect(expectedSpeedup([250, 250, 250, 250, 250])).toBe(5);
    expect(expectedSpeedup([250, 250, 125])).toBe(2.5);
    const cases = sleepCases(250);
    expect(cases[0]).toEqual({ sleeps: [2000], note: "the article's code" });
    expect(cases.map((c) => c.sleeps.length)).toEqual([1, 1, 2, 3, 5, 10, 3]);
  });

  it("blocks the thread for real, as time.sleep does", async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const start = performance.now();
    blockingSleep(30);
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    expect(timerRan).toBe(false); // nothing else ran meanwhile
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(timerRan).toBe(true);
  });
});

describe("the README block", () => {
  const readme = `# Title\n\nBefore.\n\n${BLOCK_START}\nold text\n${BLOCK_END}\n\nAfter, edited by someone else.\n`;

  it("replaces only what is between the markers, and is idempotent", () => {
    const once = replaceBlock(readme, "new | table\n");
    expect(once).toBe(`# Title\n\nBefore.\n\n${BLOCK_START}\nnew | table\n${BLOCK_END}\n\nAfter, edited by someone else.\n`);
    expect(replaceBlock(once, "new | table")).toBe(once);
  });

  it("refuses missing, repeated or reversed markers, and content that contains one", () => {
    expect(() => replaceBlock("no markers", "x")).toThrow(/not found/);
    expect(() => replaceBlock(readme + BLOCK_START, "x")).toThrow(/more than once/);
    expect(() => replaceBlock(`${BLOCK_END}\n${BLOCK_START}`, "x")).toThrow(/before/);
    expect(() => replaceBlock(readme, `a ${BLOCK_END} b`)).toThrow(/marker/);
  });

  it("holds both tables, the plot and the article's own table", () => {
    const block = readmeBlock({
      env: { date: "2026-01-01", node: "v20.0.0", cpu: "CPU", cores: 2, load: "0.1 / 0.1 / 0.1", core: "wasm" },
      sleepUnitMs: 250,
      sleep: [],
      fetchColumns: COLUMNS,
      fetchRows: ROWS,
      setup: { latencyMs: 100, slots: 50, sequentialCap: 100, runs: 7 },
      svgPath: "fetch-times.svg",
      seconds: 42,
    });
    expect(block).toContain("| Calls | Each sleeps | Sync (s) |");
    expect(block).toContain("| 500 | ≈50.800 (est.) | 0.279 | 0.226 |");
    expect(block).toContain("](fetch-times.svg)");
    expect(block).toContain("| 500 | 47.217773 | 7.411433 |");
    expect(() => replaceBlock(readme, block)).not.toThrow();
  });
});

describe("the words that depend on the figures", () => {
  it("calls a gather/Promise.all difference noise when the runs overlap, and real when they do not", () => {
    const overlapping = gatherVersusPromiseAll(500, { seconds: 0.279, runs: [0.25, 0.3] }, { seconds: 0.226, runs: [0.2, 0.26] });
    expect(overlapping).toContain("+106 µs per request) is within this run's noise");
    const apart = gatherVersusPromiseAll(500, { seconds: 0.4, runs: [0.39, 0.41] }, { seconds: 0.2, runs: [0.19, 0.21] });
    expect(apart).toContain("+400 µs per request, is real");
    expect(apart).toContain("AbortSignal");
  });

  it("derives fetch's CPU time per request from the largest Promise.all cell", () => {
    const text = fetchWhy({ latencyMs: 100, slots: 50, sequentialCap: 100, runs: 7 }, ROWS).join("\n");
    expect(text).toContain("Promise.all took 0.25 ms per request on top of the latency"); // (0.226 - 0.1) / 500
    expect(text).toContain("median of 7 runs");
  });

  it("explains the worker pool column (the article's Threading) when the table has one, from its measured cell", () => {
    const rows: FetchRow[] = ROWS.map((row) => ({
      ...row,
      cells: { ...row.cells, workers: { seconds: row.frequency === 500 ? 6.52 : 0.1, runs: [0.1] } },
    }));
    const text = fetchWhy({ latencyMs: 100, slots: 50, sequentialCap: 100, runs: 7, workers: 8 }, rows).join("\n");
    expect(text).toContain("ceil(n / 8) latencies: 63 rounds, 6.3 s, at 500 requests, where it took 6.52 s");
    expect(text).toContain("50 behind the semaphore, 8 for the worker pool)");
    const without = fetchWhy({ latencyMs: 100, slots: 50, sequentialCap: 100, runs: 7 }, ROWS).join("\n");
    expect(without).not.toContain("Worker pool");
    expect(without).toContain("50 behind the semaphore).");
  });

  it("takes medians of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("wraps paragraphs for the terminal without splitting words", () => {
    expect(wrap("aaa bbb ccc ddd", 8)).toBe("aaa bbb\nccc ddd");
  });
});

describe("the plot", () => {
  const spec: ChartSpec = {
    title: "Fetch <times> & more",
    subtitle: "sub",
    xLabel: "Frequency",
    yLabel: "Total time (s)",
    xTicks: [1, 10, 100],
    references: [{ y: 0.1, label: "latency" }],
    series: [
      { label: "slow", color: "#d62728", marker: "circle", points: [{ x: 1, y: 0.1 }, { x: 10, y: 1 }, { x: 100, y: 10, estimated: true }] },
      { label: "fast", color: "#1f77b4", marker: "square", points: [{ x: 1, y: 0.1 }, { x: 100, y: 0.12 }] },
    ],
  };
  const svg = lineChartSvg(spec);

  it("maps values logarithmically", () => {
    const scale = logScale([1, 100], [0, 200]);
    expect(scale(1)).toBe(0);
    expect(scale(10)).toBeCloseTo(100);
    expect(scale(100)).toBeCloseTo(200);
    expect(() => logScale([0, 10], [0, 1])).toThrow(/bad log domain/);
    expect(decadeDomain([0.104, 50.3])).toEqual([0.1, 100]);
  });

  it("is one SVG document whose text is escaped", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(escapeXml("Fetch <times> & more"));
    expect(svg).not.toContain("<times>");
    expect(escapeXml(`a<b & "c"`)).toBe("a&lt;b &amp; &quot;c&quot;");
  });

  it("draws a longer time higher up, and an extrapolated point dashed and hollow", () => {
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="4.5" (fill="#d62728"|fill="#ffffff" stroke="#d62728"[^/]*)\/>/g)];
    // The slow series' three points, then its legend marker.
    expect(circles).toHaveLength(4);
    const ys = circles.slice(0, 3).map((m) => Number(m[2]));
    expect(ys[0]!).toBeGreaterThan(ys[1]!);
    expect(ys[1]!).toBeGreaterThan(ys[2]!);
    expect(circles[2]![3]).toContain('fill="#ffffff"'); // the estimated one
    expect(circles[1]![3]).toBe('fill="#d62728"');
    const dashed = svg.split("\n").filter((l) => l.includes('stroke="#d62728"') && l.includes("stroke-dasharray"));
    expect(dashed).toHaveLength(1); // only the segment reaching the estimate
    expect(svg).toContain("extrapolated,");
  });

  it("labels every frequency and every decade", () => {
    for (const label of [">1<", ">10<", ">100<", ">0.1<"]) expect(svg).toContain(label);
  });
});
