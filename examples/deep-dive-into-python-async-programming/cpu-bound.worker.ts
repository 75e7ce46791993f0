// The worker of cpu-bound-workers.ts: the article's cpu_bound_task, on a thread of its own.
import { parentPort } from "node:worker_threads";
import { serveExecutor } from "../../src/index.ts";

export const functions = {
  /** Counts to 10**7 one by one, and says how long that took on this thread. */
  cpuBoundTask(taskId: number): { taskId: number; seconds: number; result: number } {
    const startTime = performance.now();
    let result = 0;
    for (let i = 0; i < 10 ** 7; i++) {
      // Simulate CPU-intensive computation
      result += 1;
    }
    const endTime = performance.now();
    return { taskId, seconds: (endTime - startTime) / 1000, result };
  },
};

serveExecutor(functions, parentPort!);
