import type { TaskActivity } from "./awaits.js";
import { milliseconds } from "./milliseconds.js";
import { TaskTimeline, type TimelineRow } from "./task-timeline.js";
import { describe } from "./describe.js";
import { optionsOf } from "./options.js";
import { refusedNumber } from "./errors.js";

/** Options of {@link formatTimeline}. */
export interface FormatTimelineOptions {
  /** Characters for the time axis: 1 to 10,000. Default 60. */
  width?: number | undefined;
}

/** The character each activity is drawn with. */
const GLYPHS: Record<TaskActivity, string> = { sleeping: "=", waiting: "-", ready: "#", running: "#" };
const LEGEND = "= sleeping  - waiting  # ready or running";
const MAX_NAME = 20;

/** The widest drawing formatTimeline makes, in characters of time axis. */
const MAX_WIDTH = 10_000;

/**
 * Draws a {@link TaskTimeline} as text: a row per task, time running left to right,
 * each column showing what the task did for most of that slice of time.
 *
 * ```text
 *          0 ms                       2000 ms
 * Task-1   --------------------------------
 * fetch-a  ================
 * fetch-b  ================================
 *          = sleeping  - waiting  # ready or running
 * ```
 *
 * @example
 * ```ts
 * const timeline = recordTimeline();
 * yield* main();
 * timeline.stop();
 * console.log(formatTimeline(timeline, { width: 40 }));
 * ```
 */
export function formatTimeline(timeline: TaskTimeline, options?: FormatTimelineOptions): string {
  if (!(timeline instanceof TaskTimeline)) {
    throw new TypeError(`formatTimeline() needs the TaskTimeline that recordTimeline() returned, got ${describe(timeline)}`);
  }
  const width = optionsOf(options, "formatTimeline()", "width").width ?? 60;
  // A column per character: a width of millions would only build a string for minutes.
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw refusedNumber(width, `formatTimeline(): width must be a positive integer up to ${MAX_WIDTH}, got ${describe(width)}`);
  }
  const rows = timeline.rows;
  const start = timeline.start;
  // Folded, not spread into Math.max: a long recording has more spans than a call takes arguments.
  const end = timeline.end ?? rows.reduce((last, row) => row.spans.reduce((last, span) => Math.max(last, span.end), last), start);
  const names = rows.map((row) => (row.name.length > MAX_NAME ? row.name.slice(0, MAX_NAME - 1) + "…" : row.name));
  const nameWidth = names.reduce((widest, name) => Math.max(widest, name.length), 0) + 2;
  const columns = end > start ? width : 1;
  const step = (end - start) / columns;
  const startLabel = `${milliseconds(start)} ms`;
  const endLabel = `${milliseconds(end)} ms`;
  const axis =
    columns > startLabel.length + endLabel.length
      ? startLabel + endLabel.padStart(columns - startLabel.length)
      : `${startLabel} to ${endLabel}`;
  const lines = [" ".repeat(nameWidth) + axis];
  rows.forEach((row, i) => {
    let cells = "";
    for (let c = 0; c < columns; c++) cells += glyphAt(row, start + c * step, start + (c + 1) * step);
    lines.push((names[i]!.padEnd(nameWidth) + cells).trimEnd());
  });
  lines.push(" ".repeat(nameWidth) + LEGEND);
  return lines.join("\n");
}

/** What `row` did for most of [from, to): its glyph, or a space where it did not exist. */
function glyphAt(row: TimelineRow, from: number, to: number): string {
  let best = " ";
  let bestOverlap = 0;
  for (const span of row.spans) {
    const overlap = Math.min(span.end, to) - Math.max(span.start, from);
    if (overlap > bestOverlap || (from === to && span.start <= from && from <= span.end)) {
      best = GLYPHS[span.activity];
      bestOverlap = overlap;
    }
  }
  return best;
}
