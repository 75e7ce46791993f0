/**
 * The two tables, as text for the terminal and as Markdown for examples/README.md, from
 * the same rows of strings so both always say the same thing. Pure functions: tested in
 * test/articles-bench.test.ts.
 */

/**
 * A measured time (the median of `runs`, when there were several), an extrapolated one
 * (never shown as if it were measured), or nothing.
 */
export type TimeCell = { seconds: number; estimated?: boolean; runs?: number[] } | null;

export const NOT_MEASURED = "—";

/** Seconds with millisecond precision, as the article's table has them (it shows 6 digits). */
export function formatSeconds(seconds: number): string {
  return seconds.toFixed(3);
}

export function formatTimeCell(cell: TimeCell): string {
  if (cell === null) return NOT_MEASURED;
  return cell.estimated === true ? `≈${formatSeconds(cell.seconds)} (est.)` : formatSeconds(cell.seconds);
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** `n` as a compact ratio: 2.5 → "2.5×", 3 → "3×". */
export function formatExpected(ratio: number): string {
  return `${Number(ratio.toFixed(2))}×`;
}

/**
 * Numbers are right-aligned, like pandas prints them, text left-aligned: a column is
 * numeric when each of its non-empty cells, past the header, starts like a number
 * ("0.102", "≈50.840 (est.)", "—", "2.5×"). The first column (the row's label) is
 * always left-aligned.
 */
export function rightAligned(rows: string[][], column: number): boolean {
  if (column === 0) return false;
  const cells = rows.map((row) => row[column] ?? "").filter((cell) => cell !== "");
  return cells.length > 0 && cells.every((cell) => /^[≈—\d-]/.test(cell));
}

export function textTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`row has ${row.length} cells, expected ${headers.length}`);
  }
  // Count code points, not UTF-16 units, so "×" and "≈" take one column.
  const width = (s: string): number => [...s].length;
  const widths = headers.map((_, c) => Math.max(...all.map((row) => width(row[c]!))));
  const right = headers.map((_, c) => rightAligned(rows, c));
  return all
    .map((row) =>
      row
        .map((cell, c) => {
          const pad = " ".repeat(widths[c]! - width(cell));
          return right[c] ? pad + cell : cell + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const escape = (cell: string): string => cell.replace(/\|/g, "\\|");
  const line = (cells: string[]): string => `| ${cells.map(escape).join(" | ")} |`;
  const align = headers.map((_, c) => (rightAligned(rows, c) ? "---:" : "---"));
  return [line(headers), line(align), ...rows.map(line)].join("\n");
}
