/**
 * The fetch table as a line chart, written as SVG text by hand: no plotting library, no
 * service, and the file diffs readably. Both axes are logarithmic: the times range from
 * 0.1 s to 50 s and the frequencies from 1 to 500, so on linear axes every concurrent
 * approach would be a flat line on the floor; on log-log axes "n × latency" is a straight
 * slope and "one latency whatever n" a horizontal line, which is the whole story.
 * Pure functions: tested in test/articles-bench.test.ts.
 */

export type Marker = "circle" | "square" | "triangle" | "diamond";

export interface Point {
  x: number;
  y: number;
  /** Extrapolated, not measured: drawn dashed with a hollow marker. */
  estimated?: boolean;
}

export interface Series {
  label: string;
  color: string;
  marker: Marker;
  points: Point[];
}

export interface ChartSpec {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  /** Where the x axis gets a tick and a label (the frequencies). */
  xTicks: number[];
  series: Series[];
  /** Horizontal dotted lines, e.g. the simulated latency. */
  references?: { y: number; label: string }[];
}

const WIDTH = 760;
const HEIGHT = 460;
const PLOT = { left: 72, right: 560, top: 70, bottom: 390 };

/** Maps [lo, hi] to [from, to] logarithmically; both ends of the domain must be positive. */
export function logScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [lo, hi] = domain;
  if (!(lo > 0 && hi > lo)) throw new Error(`bad log domain [${lo}, ${hi}]`);
  const [from, to] = range;
  const span = Math.log10(hi) - Math.log10(lo);
  return (v) => from + ((Math.log10(v) - Math.log10(lo)) / span) * (to - from);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Whole decades around the values: 0.104 .. 50.3 → [0.1, 100]. */
export function decadeDomain(values: number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) throw new Error("no positive values to plot");
  return [10 ** Math.floor(Math.log10(Math.min(...positive))), 10 ** Math.ceil(Math.log10(Math.max(...positive)))];
}

/** 0.1 → "0.1", 1 → "1", 100 → "100" (10 ** -1 is 0.1 exactly only after rounding). */
function tickLabel(v: number): string {
  return String(Number(v.toPrecision(3)));
}

const f = (v: number): string => v.toFixed(1);

function marker(shape: Marker, x: number, y: number, color: string, hollow: boolean): string {
  const paint = hollow ? `fill="#ffffff" stroke="${color}" stroke-width="1.8"` : `fill="${color}"`;
  switch (shape) {
    case "circle":
      return `<circle cx="${f(x)}" cy="${f(y)}" r="4.5" ${paint}/>`;
    case "square":
      return `<rect x="${f(x - 4)}" y="${f(y - 4)}" width="8" height="8" ${paint}/>`;
    case "triangle":
      return `<path d="M${f(x)},${f(y - 5.5)} L${f(x + 5)},${f(y + 4)} L${f(x - 5)},${f(y + 4)} Z" ${paint}/>`;
    case "diamond":
      return `<path d="M${f(x)},${f(y - 5.5)} L${f(x + 5.5)},${f(y)} L${f(x)},${f(y + 5.5)} L${f(x - 5.5)},${f(y)} Z" ${paint}/>`;
  }
}

export function lineChartSvg(spec: ChartSpec): string {
  const ys = [...spec.series.flatMap((s) => s.points.map((p) => p.y)), ...(spec.references ?? []).map((r) => r.y)];
  const [yLo, yHi] = decadeDomain(ys);
  const xMin = Math.min(...spec.xTicks);
  const xMax = Math.max(...spec.xTicks);
  // A little room left and right so the first and last markers are not on the frame.
  const x = logScale([xMin / 1.25, xMax * 1.25], [PLOT.left, PLOT.right]);
  // Half a decade of room below: nothing can be faster than the latency, so the lowest
  // points sit on it, and the reference line's label goes underneath.
  const yFloor = yLo / 2;
  const y = logScale([yFloor, yHi], [PLOT.bottom, PLOT.top]);
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    // Opaque background: a transparent SVG is unreadable on a dark page.
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(spec.title)}</text>`,
    `<text x="${WIDTH / 2}" y="46" text-anchor="middle" fill="#555555">${escapeXml(spec.subtitle)}</text>`,
  );

  // Grid: a labelled line per decade, faint lines at 2× and 5× in between.
  for (let decade = yLo / 10; decade <= yHi * 1.0001; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = decade * m;
      if (v < yFloor * 0.9999 || v > yHi * 1.0001) continue;
      const py = f(y(v));
      out.push(`<line x1="${PLOT.left}" y1="${py}" x2="${PLOT.right}" y2="${py}" stroke="${m === 1 ? "#cccccc" : "#eeeeee"}"/>`);
      if (m === 1) out.push(`<text x="${PLOT.left - 8}" y="${f(y(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`);
    }
  }
  for (const tick of spec.xTicks) {
    const px = x(tick);
    out.push(`<line x1="${f(px)}" y1="${PLOT.top}" x2="${f(px)}" y2="${PLOT.bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${f(px)}" y="${PLOT.bottom + 18}" text-anchor="middle">${tickLabel(tick)}</text>`);
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888888"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(20 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );

  for (const ref of spec.references ?? []) {
    const py = y(ref.y);
    out.push(
      `<line x1="${PLOT.left}" y1="${f(py)}" x2="${PLOT.right}" y2="${f(py)}" stroke="#777777" stroke-dasharray="2 3"/>`,
      `<text x="${PLOT.right - 6}" y="${f(py + 15)}" text-anchor="end" fill="#555555">${escapeXml(ref.label)}</text>`,
    );
  }

  for (const s of spec.series) {
    // Consecutive points; a segment reaching an extrapolated point is dashed.
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1]!;
      const b = s.points[i]!;
      const dash = a.estimated === true || b.estimated === true ? ` stroke-dasharray="6 4"` : "";
      out.push(
        `<line x1="${f(x(a.x))}" y1="${f(y(a.y))}" x2="${f(x(b.x))}" y2="${f(y(b.y))}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      );
    }
    for (const p of s.points) out.push(marker(s.marker, x(p.x), y(p.y), s.color, p.estimated === true));
  }

  // Legend, right of the plot.
  let ly = PLOT.top + 10;
  for (const s of spec.series) {
    out.push(
      `<line x1="${PLOT.right + 20}" y1="${ly}" x2="${PLOT.right + 50}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
      marker(s.marker, PLOT.right + 35, ly, s.color, false),
      `<text x="${PLOT.right + 58}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
    ly += 24;
  }
  if (spec.series.some((s) => s.points.some((p) => p.estimated === true))) {
    out.push(
      `<line x1="${PLOT.right + 20}" y1="${ly}" x2="${PLOT.right + 50}" y2="${ly}" stroke="#555555" stroke-width="2" stroke-dasharray="6 4"/>`,
      marker("circle", PLOT.right + 35, ly, "#555555", true),
      `<text x="${PLOT.right + 58}" y="${ly + 4}">extrapolated,</text>`,
      `<text x="${PLOT.right + 58}" y="${ly + 19}">not measured</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
