// The playground page (web/) in Chromium: every program runs and prints what its example
// prints, and the timeline is drawn to scale, one row per task, one bar per span.
import { afterEach, expect, it } from "vitest";
import { createTask, currentTask, Lock, recordTimeline, run, sleep } from "../../src/index.ts";
import { demos } from "../../web/demos.ts";
import { type MomentNode, treeAt } from "../../web/moment.ts";
import { mountPlayground } from "../../web/playground.ts";
import { runDemo } from "../../web/run-demo.ts";
import { drawTimeline, ticks } from "../../web/timeline-svg.ts";

afterEach(() => document.body.replaceChildren());

/** A tree as lines, two spaces of indent per level: "main: task fetch-a", "  fetch-a: ...". */
function treeLines(nodes: readonly MomentNode[], indent = ""): string[] {
  return nodes.flatMap((node) => [`${indent}${node.name}: ${node.doing}`, ...treeLines(node.children, indent + "  ")]);
}

/** The page's moment list as lines, in the same form. */
function listLines(list: Element, indent = ""): string[] {
  return Array.from(list.children).flatMap((item) => {
    const own = Array.from(item.childNodes)
      .filter((child) => child.nodeName !== "UL")
      .map((child) => child.textContent)
      .join("");
    const nested = item.querySelector(":scope > ul");
    return [indent + own, ...(nested === null ? [] : listLines(nested, indent + "  "))];
  });
}

it("runs every program in virtual time, with its output, loop time and a timeline", async () => {
  const runs = new Map<string, Awaited<ReturnType<typeof runDemo>>>();
  for (const demo of demos) runs.set(demo.name, await runDemo(demo, "js"));
  const gather = runs.get("foo-bar-baz-gather")!;
  expect(gather.output).toEqual(["Foo", "Bar", "Baz", "['Foo result', 'Bar result', 'Baz result']"]);
  expect([gather.loopTime, gather.core]).toEqual([3000, "js"]);
  expect(gather.timeline!.rows.map((row) => [row.start, row.end])).toEqual([
    [0, null],
    [0, 1000],
    [0, 2000],
    [0, 3000],
  ]);
  expect(runs.get("locks-and-semaphores")!.loopTime).toBe(2400);
  for (const [name, result] of runs) expect(result.timeline?.rows.length, name).toBeGreaterThan(0);
});

it("draws a row per task and a bar per span, to scale, with what each waited on", async () => {
  const timeline = await run(
    function* () {
      const timeline = recordTimeline();
      const lock = new Lock();
      yield* lock.acquire();
      const blocked = createTask(lock.with(() => sleep(100)), { name: "blocked" });
      yield* sleep(300);
      lock.release();
      yield* blocked;
      timeline.stop();
      return timeline;
    },
    { clock: "virtual" },
  );
  const svg = drawTimeline(timeline, { plotWidth: 400, labelWidth: 100, rowHeight: 20 });
  const names = Array.from(svg.querySelectorAll(".task-name"), (node) => node.textContent);
  expect(names).toEqual([timeline.rows[0]!.name, "blocked"]);
  const bars = Array.from(svg.querySelectorAll("g.row")[1]!.querySelectorAll("rect"), (bar) => ({
    x: Number(bar.getAttribute("x")),
    width: Number(bar.getAttribute("width")),
    kind: bar.getAttribute("class"),
    title: bar.querySelector("title")!.textContent,
  }));
  // 400 ms over 400 px: one px per ms, after the 100 px of names.
  expect(bars).toEqual([
    { x: 100, width: 300, kind: "span waiting", title: "blocked, 0–300 ms: waiting: acquire() on <Lock [locked, waiters:1]>" },
    { x: 400, width: 100, kind: "span sleeping", title: "blocked, 300–400 ms: sleeping: sleep() until 400 ms" },
  ]);
  expect(Array.from(svg.querySelectorAll(".tick-label"), (node) => node.textContent)).toEqual(
    ["0 ms", "100 ms", "200 ms", "300 ms", "400 ms"],
  );
});

it("picks round ticks for the time axis", () => {
  expect(ticks(0, 3000)).toEqual([0, 1000, 2000, 3000]);
  expect(ticks(0, 2400)).toEqual([0, 500, 1000, 1500, 2000]);
  expect(ticks(10, 10)).toEqual([10]);
  expect(ticks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
});

it("mounts the page: choosing a program and a core and running it redraws output, summary and chart", async () => {
  const root = document.createElement("div");
  document.body.append(root);
  const page = mountPlayground(root);
  page.select("task-group");
  (root.querySelector("#core") as HTMLSelectElement).value = "wasm";
  const result = await page.run();
  expect(result.core).toBe("wasm");
  expect(root.querySelector(".summary")!.textContent).toBe("2000 ms of virtual time on the wasm core");
  expect(root.querySelector(".explanation")!.textContent).toContain("taskGroup waits for both fetch_data tasks");
  expect(root.querySelectorAll(".chart svg g.row")).toHaveLength(3);
  expect(() => page.select("nope")).toThrow('no program called "nope"');
});

it("runs one program at a time: changes in one tick run one after the other, and console.log is given back", async () => {
  const root = document.createElement("div");
  document.body.append(root);
  const log = console.log;
  const page = mountPlayground(root); // runs the first program at once
  const program = root.querySelector("#program") as HTMLSelectElement;
  for (const name of ["sleep-sort-tasks", "task-group"]) {
    program.value = name;
    program.dispatchEvent(new Event("change"));
  }
  const last = await page.run(); // after the three before it
  expect(console.log).toBe(log);
  expect(root.querySelector(".output")!.textContent).toBe(last.output.join("\n"));
  expect(root.querySelector(".summary")!.textContent).toBe(`2000 ms of virtual time on the ${last.core} core`);
});

it("rebuilds the task tree at any moment of the recording", async () => {
  const timeline = await run(
    function* () {
      currentTask()!.setName("main");
      const timeline = recordTimeline();
      const lock = new Lock();
      const fetch = (ms: number) => lock.with(() => sleep(ms));
      const a = createTask(fetch(300), { name: "fetch-a" });
      const b = createTask(fetch(200), { name: "fetch-b" });
      yield* a;
      yield* b;
      timeline.stop();
      return timeline;
    },
    { clock: "virtual" },
  );
  const at = (ms: number) => treeLines(treeAt(timeline, ms));
  const start = ["main: task fetch-a", "  fetch-a: sleep() until 300 ms", "fetch-b: acquire() on <Lock [locked, waiters:1]>"];
  expect(at(0)).toEqual(start);
  expect(at(299.5)).toEqual(start);
  expect(at(300)).toEqual(["main: task fetch-b", "  fetch-b: sleep() until 500 ms"]);
  expect(at(500)).toEqual(["main: running"]); // stopping the recording
});

it("a click on the chart shows what each task was doing then", async () => {
  const root = document.createElement("div");
  document.body.append(root);
  const page = mountPlayground(root);
  page.select("task-group");
  await page.run();
  const svg = root.querySelector(".chart svg")!;
  // The plot starts after the 140 px of names and spans 640 px for 2000 ms: its middle is 1000 ms.
  svg.dispatchEvent(new MouseEvent("click", { clientX: svg.getBoundingClientRect().left + 140 + 320, bubbles: true }));
  const moment = root.querySelector(".moment")!;
  expect(moment.querySelector("p")!.textContent).toBe("At 1000 ms (click the chart for another moment):");
  expect(listLines(moment.querySelector("ul")!).map((line) => line.replace(/Task-\d+/g, "Task-N"))).toEqual([
    "Task-N: task Task-N", // main, in the group's body, awaits task1; both tasks are the group's
    "  Task-N: sleep() until 2000 ms",
    "  Task-N: sleep() until 2000 ms",
  ]);
  expect(svg.querySelector(".cursor")!.getAttribute("visibility")).toBe("visible");
});
