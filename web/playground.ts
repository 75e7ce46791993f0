// The page: pick a program and a core, run it in virtual time, and see what it printed
// and what its tasks did, drawn as a timeline.
import { demos } from "./demos.ts";
import { type MomentNode, treeAt } from "./moment.ts";
import { type DemoRun, runDemo } from "./run-demo.ts";
import { ACTIVITY_COLOURS, drawTimeline } from "./timeline-svg.ts";

/** The mounted page, for the page's own script and for tests. */
export interface Playground {
  /** Runs the selected program and redraws the page; resolves when it is drawn. */
  run(): Promise<DemoRun>;
  /** Selects a program by its example name (`foo-bar-baz-gather`). */
  select(name: string): void;
  /** Shows what each task was doing at loop time `ms` of the last run, as a click on the chart does. */
  pick(ms: number): void;
}

/** Builds the page inside `root` and runs the first program. */
export function mountPlayground(root: HTMLElement): Playground {
  const program = html("select", { id: "program" });
  for (const demo of demos) program.append(option(demo.name, `${demo.title} (${demo.name})`));
  const core = html("select", { id: "core" });
  core.append(option("", "default core"), option("wasm", "Wasm core"), option("js", "JS core"));
  const button = html("button", { type: "button" }, "Run");
  const explanation = html("p", { class: "explanation" });
  const output = html("pre", { class: "output" });
  const summary = html("p", { class: "summary" });
  const chart = html("div", { class: "chart" });
  const moment = html("div", { class: "moment" });
  const legend = html("p", { class: "legend" });
  for (const activity of ["sleeping", "waiting", "ready"] as const) {
    const swatch = html("span", { class: "swatch", style: `background:${ACTIVITY_COLOURS[activity]}` });
    legend.append(swatch, ` ${activity}  `);
  }
  root.append(
    html("div", { class: "controls" }, html("label", {}, "Program ", program), html("label", {}, " on the ", core), button),
    explanation,
    output,
    summary,
    chart,
    legend,
    moment,
  );
  let last: DemoRun | undefined;
  const pick = (ms: number): void => {
    const roots = last?.timeline === undefined ? [] : treeAt(last.timeline, ms);
    const heading = html("p", {}, `At ${ms} ms (click the chart for another moment):`);
    moment.replaceChildren(heading, treeList(roots));
  };

  // One run at a time: a run catches console.log for its output until it ends, so two at
  // once would print into each other and leave the first one's catcher in place. A change
  // while a run is going runs after it.
  let running: Promise<unknown> = Promise.resolve();
  const run = (): Promise<DemoRun> => {
    const next = running.then(runNow, runNow);
    running = next;
    return next;
  };
  const runNow = async (): Promise<DemoRun> => {
    const demo = demos.find((d) => d.name === program.value) ?? demos[0]!;
    explanation.textContent = demo.explanation;
    button.disabled = true;
    try {
      const result = await runDemo(demo, core.value === "" ? undefined : (core.value as "wasm" | "js"));
      output.textContent = result.output.join("\n");
      summary.textContent = `${result.loopTime} ms of virtual time on the ${result.core} core`;
      last = result;
      chart.replaceChildren(...(result.timeline === undefined ? [] : [drawTimeline(result.timeline, {}, pick)]));
      pick(result.timeline?.start ?? 0);
      return result;
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener("click", () => void run());
  program.addEventListener("change", () => void run());
  core.addEventListener("change", () => void run());
  void run();
  return {
    run,
    select(name) {
      if (!demos.some((d) => d.name === name)) throw new Error(`no program called ${JSON.stringify(name)}`);
      program.value = name;
    },
    pick,
  };
}

function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

/** The task tree as nested lists: each task with what it was doing, the tasks it awaited below. */
function treeList(nodes: readonly MomentNode[]): HTMLUListElement {
  return html(
    "ul",
    { class: "tree" },
    ...nodes.map(({ name, doing, children }) =>
      html("li", {}, html("code", {}, name), `: ${doing}`, ...(children.length > 0 ? [treeList(children)] : [])),
    ),
  );
}

function option(value: string, label: string): HTMLOptionElement {
  const node = html("option", { value }, label);
  return node;
}
