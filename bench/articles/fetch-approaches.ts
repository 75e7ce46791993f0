/**
 * Claim 2, from "Asynchronous Programming in Python": the table that fetches a URL 1, 10,
 * 50, 100 and 500 times, threads against asyncio. Here the contenders are four ways of
 * making n requests from JavaScript, all with Node's own fetch:
 *
 * - sequential: one wasyncio task awaiting one fetch after another. It is async code and
 *   still takes n × latency: being async lets requests overlap, it does not make one
 *   faster.
 * - gather: one wasyncio task per request, all at once (asyncio.gather).
 * - Semaphore(50): the same tasks, at most 50 requests in flight (`async with sem:`), how
 *   one stays polite to a real server: ceil(n / 50) rounds of latency.
 * - Promise.all: plain async functions and promises, no wasyncio: the baseline.
 * - Worker pool: the article's Threading column. A `WorkerExecutor` of WORKER_THREADS
 *   workers, each fetching one request at a time as a thread of a ThreadPoolExecutor
 *   runs a blocking `requests.get`: ceil(n / WORKER_THREADS) rounds of latency. The pool
 *   is made once and its workers started by the warm-up, as a program would keep its
 *   pool; `closeWorkerPool` shuts it down at the end.
 *
 * On the client nothing needs configuring for 500 requests at once: Node's global fetch
 * dispatcher (undici's Agent) has no per-origin connection limit (a browser allows 6) and
 * keeps connections alive, so n concurrent requests open n connections and later runs
 * reuse them. Every request reads its body to the end, which is what hands the connection
 * back to the pool. The server side (backlog, keep-alive timeout) is set in server.ts; the
 * process needs about 2 file descriptors per connection (client and server ends).
 */
import { type Coroutine, gather, run, Semaphore, until, WorkerExecutor } from "../../src/index.ts";
import { typeScriptWorker } from "../../examples/lib/node-worker.ts";
import type { functions } from "./fetch.worker.ts";

export const SEMAPHORE_SLOTS = 50;
/** Python 3.13's ThreadPoolExecutor default on this 2-core machine is min(32, cores + 4) = 6; 8 is a round pool. */
export const WORKER_THREADS = 8;

const FETCH_WORKER = new URL("./fetch.worker.ts", import.meta.url);
let workerPool: WorkerExecutor<typeof functions> | null = null;

function fetchPool(): WorkerExecutor<typeof functions> {
  workerPool ??= new WorkerExecutor<typeof functions>(() => typeScriptWorker(FETCH_WORKER), {
    maxWorkers: WORKER_THREADS,
  });
  return workerPool;
}

/** Stops the worker pool's workers, if it was made: they would keep the process alive. */
export async function closeWorkerPool(): Promise<void> {
  const pool = workerPool;
  workerPool = null;
  if (pool !== null) await run(() => pool.shutdown(), { clock: "real" });
}

export interface Approach {
  key: string;
  /** The column header. */
  label: string;
  /** The largest n this approach is measured for (the rest would blow the time budget). */
  maxRequests: number;
  /** Makes n requests to url and resolves with the n bodies. */
  fetchMany(url: string, n: number): Promise<string[]>;
  /** The most requests it should ever have in flight, checked at the server. */
  maxInFlight(n: number): number;
}

/** One request, from inside a task. Cancelling the task aborts the fetch (the signal). */
function* fetchOne(url: string, i: number): Coroutine<string> {
  const response = yield* until((signal) => fetch(`${url}?i=${i}`, { signal }));
  if (!response.ok) throw new Error(`GET ${url}?i=${i}: HTTP ${response.status}`);
  return yield* until(response.text());
}

const indices = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const approaches: Approach[] = [
  {
    key: "sequential",
    label: "Sequential",
    // 500 × 100 ms is 50 s on its own; its value is n × latency, extrapolated instead.
    maxRequests: 100,
    maxInFlight: () => 1,
    fetchMany: (url, n) =>
      run(
        function* () {
          const bodies: string[] = [];
          for (const i of indices(n)) bodies.push(yield* fetchOne(url, i));
          return bodies;
        },
        { clock: "real" },
      ),
  },
  {
    key: "gather",
    label: "gather",
    maxRequests: Infinity,
    maxInFlight: (n) => n,
    fetchMany: (url, n) => run(() => gather(indices(n).map((i) => fetchOne(url, i))), { clock: "real" }),
  },
  {
    key: "semaphore",
    label: `Semaphore(${SEMAPHORE_SLOTS})`,
    maxRequests: Infinity,
    maxInFlight: (n) => Math.min(n, SEMAPHORE_SLOTS),
    fetchMany: (url, n) =>
      run(
        function* () {
          const slots = new Semaphore(SEMAPHORE_SLOTS);
          return yield* gather(indices(n).map((i) => slots.with(() => fetchOne(url, i))));
        },
        { clock: "real" },
      ),
  },
  {
    key: "workers",
    label: `Worker pool (${WORKER_THREADS})`,
    maxRequests: Infinity,
    maxInFlight: (n) => Math.min(n, WORKER_THREADS),
    fetchMany: (url, n) =>
      run(() => gather(indices(n).map((i) => fetchPool().call("fetchText", `${url}?i=${i}`))), { clock: "real" }),
  },
  {
    key: "promise-all",
    label: "Promise.all",
    maxRequests: Infinity,
    maxInFlight: (n) => n,
    fetchMany: (url, n) =>
      Promise.all(
        indices(n).map(async (i) => {
          const response = await fetch(`${url}?i=${i}`);
          if (!response.ok) throw new Error(`GET ${url}?i=${i}: HTTP ${response.status}`);
          return response.text();
        }),
      ),
  },
];
