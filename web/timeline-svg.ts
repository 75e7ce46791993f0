// Draws a TaskTimeline as SVG: one row per task, a bar per span, coloured by what the
// task was doing; hovering a bar says what it waited on and when.
import type { TaskActivity, TaskTimeline } from "../src/index.ts";

const SVG = "http://www.w3.org/2000/svg";

/** Bar colours: the page's stylesheet may override them through the class names. */
export const ACTIVITY_COLOURS: Record<TaskActivity, string> = {
  sleeping: "#7aa6d8",
  waiting: "#e0b05a",
  ready: "#5fb56a",
  running: "#5fb56a",
};

/** Sizes of the drawing, in px. */
export interface TimelineLayout {
  /** Width of the time axis. Default 640. */
  plotWidth?: number;
  /** Width of the task names' column. Default 140. */
  labelWidth?: number;
  /** Height of one task's row. Default 22. */
  rowHeight?: number;
}

/**
 * The timeline as an `<svg>`: the axis on top (loop time in ms), then a row per task with
 * its name and its spans. A span that lasts no time is drawn 1 px wide, so that it shows.
 * With `onPick`, a click on the chart marks that moment with a line and passes its loop
 * time to `onPick`.
 */
export function drawTimeline(
  timeline: TaskTimeline,
  layout: TimelineLayout = {},
  onPick?: (ms: number) => void,
): SVGSVGElement {
  const { plotWidth = 640, labelWidth = 140, rowHeight = 22 } = layout;
  const axisHeight = 24;
  const start = timeline.start;
  const end = timeline.end ?? Math.max(start, ...timeline.rows.flatMap((row) => row.spans.map((span) => span.end)));
  const scale = end > start ? plotWidth / (end - start) : 0;
  const x = (ms: number): number => labelWidth + (ms - start) * scale;

  const svg = element("svg", {
    width: labelWidth + plotWidth + 8,
    height: axisHeight + timeline.rows.length * rowHeight + 4,
    class: "timeline",
  });
  for (const ms of ticks(start, end)) {
    svg.append(element("line", { x1: x(ms), x2: x(ms), y1: axisHeight - 6, y2: axisHeight + timeline.rows.length * rowHeight, class: "tick" }));
    svg.append(text(`${ms} ms`, { x: x(ms), y: axisHeight - 10, class: "tick-label", "text-anchor": "middle" }));
  }
  timeline.rows.forEach((row, i) => {
    const top = axisHeight + i * rowHeight;
    const group = element("g", { class: "row" });
    group.append(text(row.name, { x: labelWidth - 8, y: top + rowHeight / 2 + 4, class: "task-name", "text-anchor": "end" }));
    for (const span of row.spans) {
      const bar = element("rect", {
        x: x(span.start),
        y: top + 3,
        width: Math.max(1, x(span.end) - x(span.start)),
        height: rowHeight - 6,
        fill: ACTIVITY_COLOURS[span.activity],
        class: `span ${span.activity}`,
      });
      const title = element("title", {});
      const what = span.waitingOn === "" ? span.activity : `${span.activity}: ${span.waitingOn}`;
      title.textContent = `${row.name}, ${span.start}–${span.end} ms: ${what}`;
      bar.append(title);
      group.append(bar);
    }
    svg.append(group);
  });
  if (onPick !== undefined && scale > 0) {
    const bottom = axisHeight + timeline.rows.length * rowHeight;
    const cursor = element("line", { y1: axisHeight - 6, y2: bottom, class: "cursor", stroke: "#c33", visibility: "hidden" });
    svg.append(cursor);
    svg.addEventListener("click", (event) => {
      const offset = event.clientX - svg.getBoundingClientRect().left - labelWidth;
      const ms = Math.min(end, Math.max(start, start + offset / scale));
      const moment = Number(ms.toPrecision(4));
      cursor.setAttribute("x1", String(x(moment)));
      cursor.setAttribute("x2", String(x(moment)));
      cursor.setAttribute("visibility", "visible");
      onPick(moment);
    });
  }
  return svg;
}

/** Up to about six round times from `start` to `end` for the axis (just `start` if they are equal). */
export function ticks(start: number, end: number): number[] {
  if (!(end > start)) return [start];
  const rough = (end - start) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function text(content: string, attributes: Record<string, string | number>): SVGTextElement {
  const node = element("text", attributes);
  node.textContent = content;
  return node;
}
