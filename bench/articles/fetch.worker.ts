// The worker of the worker-pool column (fetch-approaches.ts): one blocking-style fetch
// at a time, as a thread of a ThreadPoolExecutor runs requests.get.
import { parentPort } from "node:worker_threads";
import { serveExecutor } from "../../src/index.ts";

export const functions = {
  async fetchText(url: string): Promise<string> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return response.text();
  },
};

serveExecutor(functions, parentPort!);
