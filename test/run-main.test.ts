// runMain turns SIGINT and SIGTERM into a cancellation of the main task: a real program
// is started, signalled once it has said so, and must run its cleanup (a sleeping one
// included) and then end by the signal, as the shell expects (asyncio.run and Ctrl-C).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it, vi } from "vitest";
import { CancelledError, createTask, type MainBody, runMain, RuntimeError, sleep } from "../src/index.ts";
import { DENO_BINARY } from "./hosts/deno-binary.ts";

const program = fileURLToPath(new URL("./fixtures/run-main-program.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));
const denoCache = mkdtempSync(join(tmpdir(), "wasyncio-deno-"));
afterAll(() => rmSync(denoCache, { recursive: true, force: true }));

/** How each runtime runs the program. */
const RUNTIMES = {
  node: [process.execPath, ["--import", tsx, program]],
  bun: [fileURLToPath(new URL("../node_modules/.bin/bun", import.meta.url)), [program]],
  // --sloppy-imports: the sources import their siblings as ./name.js, as tsc wants.
  deno: [
    DENO_BINARY,
    ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", "--sloppy-imports", "--allow-env", program],
  ],
} as const;

interface Ending {
  output: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs the program (under Node, or Bun), sends `signals` once it printed "started" (the
 * second 300 ms after "main got" appears), and collects how it ended.
 */
function signalled(
  signals: NodeJS.Signals[],
  env: Record<string, string> = {},
  runtime: keyof typeof RUNTIMES = "node",
): Promise<Ending> {
  const [command, args] = RUNTIMES[runtime];
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, DENO_DIR: denoCache, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const output: string[] = [];
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      output.push(line);
      if (line === "started") child.kill(signals[0]);
      // Not at once: the same signal within 100 ms is taken for one delivered twice.
      if (line.startsWith("main got") && signals[1] !== undefined) setTimeout(() => child.kill(signals[1]), 300);
    }
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ output, code, signal })));
}

/** How a program cancelled by `signal` ends: all its cleanup ran, then the signal ended it. */
function endedBy(signal: NodeJS.Signals): Ending {
  return {
    output: ["started", `main got CancelledError: ${signal} received`, "main cleaned up", "background task cleaned up"],
    code: null,
    signal,
  };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  it(`${signal} cancels main: every cleanup runs, then the process ends by ${signal}`, async () => {
    expect(await signalled([signal])).toEqual(endedBy(signal));
  }, 30_000);
}

it("a listener of the program's that ends the process by the signal once it is the last (signal-exit's) ends it so", async () => {
  expect(await signalled(["SIGTERM"], { PASSIVE_LISTENER: "1" })).toEqual(endedBy("SIGTERM"));
}, 30_000);

it("a second signal during cleanup ends the process at once", async () => {
  expect(await signalled(["SIGINT", "SIGINT"], { CLEANUP_MS: "10000" })).toEqual({
    output: ["started", "main got CancelledError: SIGINT received"],
    code: null,
    signal: "SIGINT",
  });
}, 30_000);

it("a main that catches the cancellation and returns resolves, and the program goes on", async () => {
  expect(await signalled(["SIGINT"], { MAIN_SWALLOWS: "1" })).toEqual({
    output: [
      "started",
      "main got CancelledError: SIGINT received",
      "main cleaned up",
      "background task cleaned up",
      "runMain resolved with returned; SIGINT listeners left: 0",
    ],
    code: 0,
    signal: null,
  });
}, 30_000);

it("once main is done, a signal is no longer taken: it ends the cleanup of what main left, as in asyncio", async () => {
  expect(await signalled(["SIGINT"], { MAIN_RETURNS: "1" })).toEqual({ output: ["started"], code: null, signal: "SIGINT" });
}, 30_000);

for (const runtime of ["bun", "deno"] as const) {
  it(`in ${runtime === "bun" ? "Bun" : "Deno"} too`, async () => {
    expect(await signalled(["SIGTERM"], {}, runtime)).toEqual(endedBy("SIGTERM"));
  }, 60_000);
}

it("without a signal it is run: the result, and no listener left behind", async () => {
  const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
  const value = await runMain(function* () {
    return yield* sleep(10, "done");
  }, { clock: "virtual" });
  expect(value).toBe("done");
  expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
  await expect(runMain(function* () {}, { signals: "SIGINT" as never })).rejects.toThrow(
    'runMain(): signals must be an array of signal names such as "SIGINT", got the string "SIGINT"',
  );
  await expect(runMain(function* () {}, { signals: ["SIGINT", "SIGFOO" as never] })).rejects.toThrow(
    'runMain(): the string "SIGFOO" is not one of the signals it takes: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGBREAK, SIGUSR2',
  );
  await expect(runMain(42 as never)).rejects.toThrow(/^runMain\(\) needs a generator/);
});

it("without a signal, the timer that keeps the process alive while main runs is gone once it returned", async () => {
  const setInterval = vi.spyOn(globalThis, "setInterval");
  const clearInterval = vi.spyOn(globalThis, "clearInterval");
  try {
    const value = await runMain(function* () {
      return yield* sleep(10, "done");
    }, { clock: "virtual" });
    const made: unknown[] = setInterval.mock.results.map((result) => result.value);
    const cleared: unknown[] = clearInterval.mock.calls.map(([handle]) => handle);
    expect([value, made.length > 0, made.every((handle) => cleared.includes(handle))]).toEqual(["done", true, true]);
  } finally {
    setInterval.mockRestore();
    clearInterval.mockRestore();
  }
});

it("a second runMain while one runs is refused, and the first is not disturbed", async () => {
  const first = runMain(function* () {
    return yield* sleep(10, "first");
  });
  await expect(runMain(function* () {})).rejects.toThrow(
    new RuntimeError(
      "runMain() is already running: it is for a program's one entry point, and both would take the same signals. Use run() here",
    ),
  );
  // Without signals it takes none, so it may run beside the first.
  const withoutSignals = runMain(function* () {
    return yield* sleep(1, "no signals");
  }, { signals: [] });
  expect(await withoutSignals).toBe("no signals");
  expect(await first).toBe("first");
  // Once the first is over, the next one runs.
  const next = runMain(function* () {
    return yield* sleep(1, "next");
  });
  expect(await next).toBe("next");
});

it("a host that refuses a signal listener: runMain rejects with its error when the signal was asked for, and leaves no listener; a default one is left to the host", async () => {
  const before = process.listenerCount("SIGINT");
  const refused = new TypeError("this host cannot listen for SIGTERM");
  const { on } = process;
  const stub = vi.spyOn(process, "on").mockImplementation((event, listener) => {
    if (event === "SIGTERM") throw refused;
    return on.call(process, event, listener);
  });
  let listenersWhileRunning = -1;
  try {
    await expect(runMain(function* () {}, { signals: ["SIGINT", "SIGTERM"] })).rejects.toBe(refused);
    expect(process.listenerCount("SIGINT")).toBe(before);
    // The defaults: SIGTERM is left to the host, and Ctrl-C is still taken.
    const ran = runMain(function* () {
      listenersWhileRunning = process.listenerCount("SIGINT");
      return yield* sleep(1, "ran without SIGTERM");
    });
    expect(await ran).toBe("ran without SIGTERM");
  } finally {
    stub.mockRestore();
  }
  expect(listenersWhileRunning).toBe(before + 1);
  expect(process.listenerCount("SIGINT")).toBe(before);
  const next = runMain(function* () {
    return yield* sleep(1, "next");
  });
  expect(await next).toBe("next");
});

/**
 * Runs `main` (by default one that sleeps until cancelled), with `process` stood in for
 * where runMain touches it: its signal listener is caught instead of installed, and
 * raising the signal again does not end this process. Gives the promise, the listener,
 * and the kill spy.
 */
function runMainWithSignalsStubbed(main: MainBody<void> = () => sleep(Infinity)) {
  // Only the signals: the test runner talks to this worker through `process` events.
  const isSignal = (event: string | symbol) => event === "SIGINT" || event === "SIGTERM";
  const { on, off } = process;
  const installed = new Map<string | symbol, (...args: unknown[]) => void>();
  vi.spyOn(process, "on").mockImplementation((event, listener) =>
    isSignal(event) ? (installed.set(event, listener), process) : on.call(process, event, listener),
  );
  vi.spyOn(process, "off").mockImplementation((event, listener) => {
    if (!isSignal(event)) return off.call(process, event, listener);
    if (installed.get(event) === listener) installed.delete(event);
    return process;
  });
  const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
  const promise = runMain(main);
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  // A signal that finds no listener ends a process by default: counted here instead.
  let endedByDefault = 0;
  const signal = (name: "SIGINT" | "SIGTERM") => {
    const listener = installed.get(name);
    if (listener === undefined) endedByDefault++;
    else listener();
  };
  const sigterm = () => signal("SIGTERM");
  return { promise, signal, sigterm, kill, isSettled: () => settled, endedByDefault: () => endedByDefault };
}

/** A main that sleeps until it is cancelled, then takes `ms` to clean up. */
function cleaningUpFor(ms: number): MainBody<void> {
  return function* () {
    try {
      yield* sleep(Infinity);
    } finally {
      yield* sleep(ms);
    }
  };
}

it("once it raised the signal again to end the process, its promise waits for the end: no code after runMain runs first", async () => {
  try {
    const { promise, sigterm, kill, isSettled } = runMainWithSignalsStubbed();
    await sleepReal(10); // main is asleep
    sigterm();
    await vi.waitFor(() => expect(kill).toHaveBeenCalledWith(process.pid, "SIGTERM"));
    await sleepReal(100); // a Deno process ends about now; code after runMain must not have run
    expect(isSettled()).toBe(false);
    // Here the process outlives the wait (this one does not die of the stubbed kill),
    // as when a listener runMain cannot see took the signal: then the promise rejects.
    await expectCancelledBySigterm(promise);
  } finally {
    vi.restoreAllMocks();
  }
});

it("the same signal again within 100 ms is one signal delivered twice: cleanup goes on; later, it ends the process at once", async () => {
  // A process group signalled while npx forwards the signal to its child too: the child
  // gets it twice, about 30 ms apart.
  try {
    const twice = runMainWithSignalsStubbed(cleaningUpFor(1_000));
    await sleepReal(10);
    twice.sigterm();
    twice.sigterm();
    await sleepReal(100);
    expect(twice.kill).not.toHaveBeenCalled(); // still cleaning up
    await vi.waitFor(() => expect(twice.kill).toHaveBeenCalledTimes(1), { timeout: 5_000 }); // raised again after it
    await expectCancelledBySigterm(twice.promise);
    vi.restoreAllMocks();

    const later = runMainWithSignalsStubbed(cleaningUpFor(2_000));
    await sleepReal(10);
    later.sigterm();
    await sleepReal(150);
    later.sigterm(); // a second signal: no more waiting for the cleanup
    expect(later.kill).toHaveBeenCalledTimes(1);
    // This process does not die of the stubbed kill: the cleanup goes on to its end.
    await expectCancelledBySigterm(later.promise);
  } finally {
    vi.restoreAllMocks();
  }
});

it("another signal within 100 ms of the first is a second signal: it ends the process at once", async () => {
  // Only the same signal again so soon is taken for one delivered twice.
  try {
    const { promise, signal, kill } = runMainWithSignalsStubbed(cleaningUpFor(2_000));
    await sleepReal(10);
    signal("SIGTERM");
    await sleepReal(10);
    signal("SIGINT");
    expect(kill.mock.calls).toEqual([[process.pid, "SIGINT"]]);
    // This process does not die of the stubbed kill: the cleanup goes on to its end.
    await expectCancelledBySigterm(promise);
  } finally {
    vi.restoreAllMocks();
  }
});

it("the same signal twice after main is done, while the tasks it left clean up, is still one signal", async () => {
  // Main's own cleanup is short: the second copy of the signal comes once it is done,
  // while run() waits for the cleanup of a task main left running.
  try {
    const log: string[] = [];
    const stubbed = runMainWithSignalsStubbed(function* () {
      createTask(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          yield* sleep(500);
          log.push("left task cleaned up");
        }
      });
      yield* sleep(Infinity);
    });
    await sleepReal(10);
    stubbed.sigterm();
    await sleepReal(30);
    stubbed.sigterm();
    await expectCancelledBySigterm(stubbed.promise);
    expect(log).toEqual(["left task cleaned up"]);
    expect(stubbed.endedByDefault()).toBe(0);
    expect(stubbed.kill).toHaveBeenCalledTimes(1); // raised again once, after the cleanup
  } finally {
    vi.restoreAllMocks();
  }
});

it("a main that caught the cancellation resolves, and the same signal again within 100 ms is still one: the program goes on", async () => {
  try {
    const stubbed = runMainWithSignalsStubbed(function* () {
      try {
        yield* sleep(Infinity);
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
      }
    });
    await sleepReal(10);
    stubbed.sigterm();
    await vi.waitFor(() => expect(stubbed.isSettled()).toBe(true));
    stubbed.sigterm(); // the copy, some ms after the first
    expect(stubbed.endedByDefault()).toBe(0);
    expect(stubbed.kill).not.toHaveBeenCalled();
    await sleepReal(150);
    stubbed.sigterm(); // a new signal: no longer runMain's
    expect(stubbed.endedByDefault()).toBe(1);
  } finally {
    vi.restoreAllMocks();
  }
});

it("a main whose cleanup is quick: the signal raised again to end the process finds no listener of runMain's, even inside 100 ms", async () => {
  try {
    const { promise, sigterm, kill, endedByDefault } = runMainWithSignalsStubbed(); // its cleanup takes no time
    await sleepReal(10);
    sigterm();
    await vi.waitFor(() => expect(kill).toHaveBeenCalledWith(process.pid, "SIGTERM"));
    sigterm(); // what the raised signal does: ends the process by default, not swallowed as a repeat
    expect(endedByDefault()).toBe(1);
    await expectCancelledBySigterm(promise);
  } finally {
    vi.restoreAllMocks();
  }
});

it("a signal that comes before main's first step still cancels main", async () => {
  try {
    const log: string[] = [];
    const { promise, sigterm } = runMainWithSignalsStubbed(function* () {
      try {
        yield* sleep(1_500);
        log.push("slept: not cancelled");
      } finally {
        log.push("cleaned up");
      }
    });
    sigterm(); // at once: main has not stepped yet
    await expectCancelledBySigterm(promise);
    expect(log).toEqual(["cleaned up"]);
  } finally {
    vi.restoreAllMocks();
  }
});

it("a main whose cleanup fails with an error of its own after a signal rejects with it, and does not end the process", async () => {
  // The error is the program's to report: ending the process by the signal would hide it.
  try {
    const { promise, sigterm, kill } = runMainWithSignalsStubbed(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        throw new Error("cleanup failed"); // eslint-disable-line no-unsafe-finally
      }
    });
    await sleepReal(10);
    sigterm();
    const ended = await promise.then(
      () => "resolved",
      (error: unknown) => String(error),
    );
    expect([ended, kill.mock.calls.length]).toEqual(["Error: cleanup failed", 0]);
  } finally {
    vi.restoreAllMocks();
  }
});

async function expectCancelledBySigterm(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => "resolved",
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(CancelledError);
  expect((error as CancelledError).message).toBe("SIGTERM received");
}

function sleepReal(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
