/**
 * How the fetch table is measured, fairly:
 *
 * - a warm-up first (every concurrent approach once at the largest n, not timed): it
 *   opens the connections every later run reuses (they stay alive for the whole run, see
 *   server.ts) and lets V8 compile the code paths, so the first approach timed is not
 *   the one that pays for both;
 * - each concurrent approach runs RUNS times per frequency, in a rotating order so none
 *   always goes first, and the table shows the median: at 100 ms per request the CPU
 *   part (a fraction of a millisecond of fetch per request) is small and noisy;
 * - sequential awaits run once: n × latency is all there is to see, and every run of it
 *   costs n × 100 ms of the budget; above `maxRequests` the cell is extrapolated, marked
 *   as such;
 * - after every run the bodies, the server's request count and the most requests it saw
 *   in flight are checked against what the approach claims to do.
 */
import type { Approach } from "./fetch-approaches.ts";
import type { FetchRow } from "./report.ts";
import type { LatencyServer } from "./server.ts";

export const RUNS = 7;

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times one run of an approach at n requests, in seconds, and checks what the server saw. */
async function timeOnce(server: LatencyServer, approach: Approach, n: number): Promise<number> {
  server.resetStats();
  const start = performance.now();
  const bodies = await approach.fetchMany(server.url, n);
  const seconds = (performance.now() - start) / 1000;
  if (bodies.length !== n) throw new Error(`${approach.label}: ${bodies.length} bodies for ${n} requests`);
  bodies.forEach((body, i) => {
    const { path } = JSON.parse(body) as { path: string };
    if (path !== `/?i=${i}`) throw new Error(`${approach.label}: body ${i} answers ${path}`);
  });
  if (server.served() !== n) throw new Error(`${approach.label}: the server answered ${server.served()} of ${n}`);
  const limit = approach.maxInFlight(n);
  if (server.peakInFlight() > limit) {
    throw new Error(`${approach.label}: ${server.peakInFlight()} requests in flight, at most ${limit} expected`);
  }
  return seconds;
}

export async function measureFetchTable(
  server: LatencyServer,
  approaches: Approach[],
  frequencies: number[],
  progress: (line: string) => void,
): Promise<FetchRow[]> {
  const largest = Math.max(...frequencies);
  const concurrent = approaches.filter((a) => a.maxInFlight(largest) > 1);
  for (const approach of concurrent) await timeOnce(server, approach, largest);

  const rows: FetchRow[] = [];
  for (const n of frequencies) {
    const row: FetchRow = { frequency: n, cells: {} };
    const times = new Map<Approach, number[]>(concurrent.map((a) => [a, []]));
    for (let run = 0; run < RUNS; run++) {
      for (let k = 0; k < concurrent.length; k++) {
        const approach = concurrent[(run + k) % concurrent.length]!;
        times.get(approach)!.push(await timeOnce(server, approach, n));
      }
    }
    for (const approach of approaches) {
      const runs = times.get(approach);
      if (runs !== undefined) row.cells[approach.key] = { seconds: median(runs), runs };
      else if (n <= approach.maxRequests) row.cells[approach.key] = { seconds: await timeOnce(server, approach, n) };
      else {
        // Time per request at the largest n measured, × n.
        const last = [...rows].reverse().find((r) => {
          const cell = r.cells[approach.key];
          return cell != null && cell.estimated !== true;
        });
        const cell = last?.cells[approach.key];
        row.cells[approach.key] = last && cell ? { seconds: (cell.seconds / last.frequency) * n, estimated: true } : null;
      }
    }
    rows.push(row);
    progress(`${String(n).padStart(3)} requests: done`);
  }
  return rows;
}
