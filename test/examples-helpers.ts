import { connect } from "node:net";
import { expect, vi } from "vitest";
import type { WebServerResult } from "../examples/deep-dive-into-python-async-programming/web-server.ts";
import type { Example, ExampleRun, RunOptions } from "../examples/lib/example.ts";

/** An example's run with what it printed. */
export interface Captured<T> {
  run: ExampleRun<T>;
  /** The arguments of each console.log call. */
  calls: unknown[][];
  /** The printed text, split into lines ("\nX" gives "" then "X", as on a terminal). */
  lines: string[];
  /** The arguments of each console.error call (the loop's default exception handler logs there). */
  errors: unknown[][];
}

/** Runs `example`, capturing console.log and console.error instead of printing. */
export async function runCaptured<T>(example: Example<T>, options: RunOptions): Promise<Captured<T>> {
  const calls: unknown[][] = [];
  const errors: unknown[][] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    calls.push(args);
  });
  const error = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
  try {
    const run = await example.run(options);
    const lines = calls.flatMap((args) => args.map(String).join(" ").split("\n"));
    return { run, calls, lines, errors };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The number in a `Task-N` name; throws for any other name. */
export function taskNumber(name: string): number {
  const match = /^Task-(\d+)$/.exec(name);
  if (match === null) throw new Error(`not a default task name: ${JSON.stringify(name)}`);
  return Number(match[1]);
}

/** What the web-server example prints, with the ports it got. */
export function webServerLines({ apiUrl, appUrl }: WebServerResult): string[] {
  return [
    `API server started at ${apiUrl} (/data answers in 100 ms, /slow in 10 s)`,
    `Server started at ${appUrl}`,
    "client A got: {'message': 'hello from the API', 'for': 'A'}",
    "client B got: {'message': 'hello from the API', 'for': 'B'}",
    "API requests in flight at once: 2",
    "client C hung up while its handler waited for /slow",
    "handler C: cancelled (client disconnected); its fetch's signal aborted: True",
    "API server: the request for C was aborted",
    "servers stopped",
  ];
}

/** Asserts that nothing accepts connections at these `http://127.0.0.1:PORT` addresses any more. */
export async function expectNothingListening(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    const { hostname, port } = new URL(url);
    expect(hostname).toBe("127.0.0.1"); // loopback only
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome, `${url} still accepts connections`).toBe("ECONNREFUSED");
  }
}
