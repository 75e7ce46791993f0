import { type Coroutine, type MainBody, toCoroutine } from "./coroutine.js";
import { isCancelledError, RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { MAX_HOST_DELAY } from "./host.js";
import { LOOP_OPTIONS, type LoopOptions } from "./loop.js";
import { run } from "./run.js";
import { currentTask } from "./running.js";
import type { Task } from "./task.js";
import { optionsOf } from "./options.js";

/** A process signal that {@link runMain} can turn into a cancellation of the main task. */
export type ProcessSignal = (typeof PROCESS_SIGNALS)[number];

/**
 * The signals runMain takes. (SIGUSR1 is not one: Node keeps it for its debugger. A
 * name outside this list would be taken by Node as an ordinary event, never emitted.)
 */
const PROCESS_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGBREAK", "SIGUSR2"] as const;

/** Options of {@link runMain}: the loop's, and which signals cancel the main task. */
export interface RunMainOptions extends LoopOptions {
  /** The signals that cancel the main task. Default: SIGINT (Ctrl-C) and SIGTERM. */
  signals?: readonly ProcessSignal[] | undefined;
}

/** What runMain needs of Node's `process` (Bun's and Deno's are the same). */
interface SignalProcess {
  pid: number;
  on(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
  kill(pid: number, signal: string): unknown;
}

const DEFAULT_SIGNALS: readonly ProcessSignal[] = ["SIGINT", "SIGTERM"];

/**
 * How long runMain's promise waits, after it raised the signal again, for the signal to
 * end the process, before it rejects anyway (a listener of the program's took it).
 */
const SIGNAL_GRACE_MS = 1_000;

/**
 * A signal that comes again this soon (ms) is the same one delivered twice, not a second
 * Ctrl-C: a process group signalled while a wrapper in it (`npx`, `tsx`) forwards the
 * signal to its child too delivers it twice, some 30 ms apart.
 */
const REPEATED_SIGNAL_MS = 100;

/** Whether a runMain that listens for signals is running: there can be one at a time. */
let listening = false;

/**
 * Runs `main` as a program's entry point: as {@link run} does, and a Ctrl-C (SIGINT) or
 * a SIGTERM cancels the main task instead of killing the process, so that every
 * `finally` block runs, sleeping ones included, and the tasks still running are
 * cancelled and waited for. Then the signal is raised again, with the main task's
 * listener gone, and the process ends as the signal would have ended it (exit status
 * 130 for SIGINT, 143 for SIGTERM). A second signal while cleanup runs ends the process
 * at once, and so does a signal that comes once main is done, while the tasks it left
 * running are cancelled. This is what asyncio.run does with Ctrl-C. While main runs,
 * the process stays alive to be signalled, even if nothing else keeps it so (a main
 * that only waits).
 *
 * If `main` catches the cancellation and returns, the promise resolves and the process
 * goes on, as in asyncio. Otherwise the signal raised again ends the process before the
 * promise settles, so no code after `await runMain()` runs; unless the program listens
 * for the signal itself (`process.on`, Deno's `Deno.addSignalListener`) and its listener
 * does not end the process: the promise then rejects with the main task's CancelledError,
 * a second later. The same signal again within 100 ms is taken for one signal delivered
 * twice (a process group signalled while `npx` forwards the signal to its child too), not
 * for a second one. It is for the
 * one entry point of a program: a second one while the first runs is refused (both
 * would be cancelled by one Ctrl-C, and the first to finish would end the process under
 * the other); use {@link run} for that one.
 *
 * On hosts without process signals (browsers, workers, edge functions) this is `run`.
 * It is not `run`'s default because `run` also serves code that is not a program's entry
 * (a request handler, a test), where taking over the process's signals would be wrong.
 *
 * A default signal the host will not listen for (Deno before 2.8 on Windows takes only
 * SIGINT and SIGBREAK) is left to the host, as asyncio goes without its handler where it
 * cannot install one; a refused signal that `signals` asked for rejects with the host's
 * error. Rejects with a RuntimeError if another runMain is running, and a TypeError for
 * signals it does not take.
 * @example
 * ```ts
 * await runMain(function* () {
 *   const server = startServer();
 *   try {
 *     yield* sleep(Infinity); // serve until Ctrl-C or SIGTERM
 *   } finally {
 *     yield* server.drain(); // finish the requests in flight
 *   }
 * });
 * ```
 */
export async function runMain<T>(main: MainBody<T>, options?: RunMainOptions): Promise<T> {
  const { signals = DEFAULT_SIGNALS, ...loopOptions } = optionsOf(options, "runMain()", `${LOOP_OPTIONS} signals`);
  checkSignals(signals);
  const body = toCoroutine(main, "runMain()");
  const host = processWithSignals();
  // `main` passed MainBody's check at this signature; the coroutines run below return
  // the same T, which TypeScript cannot tell of a generic one.
  if (host === null || signals.length === 0) return run(body as MainBody<T>, loopOptions);
  if (listening) {
    throw new RuntimeError(
      "runMain() is already running: it is for a program's one entry point, and both would take the same signals. Use run() here",
    );
  }
  const relay = new SignalRelay(host, signals);

  function* entry(): Coroutine<T> {
    relay.started(currentTask()!);
    try {
      return yield* body;
    } finally {
      // Main is done: a signal now does what it does by default, and ends the cleanup of
      // the tasks main left running (as asyncio puts SIGINT's default handler back).
      relay.stopTakingSignalsAfterRepeats();
    }
  }
  let result: Promise<T>;
  try {
    relay.listen(signals === DEFAULT_SIGNALS); // the signals asked for must be taken
    result = run(entry as MainBody<T>, loopOptions);
  } catch (error) {
    relay.stopListening(true);
    throw error;
  }
  return result.then(
    (value) => {
      // Main caught the cancellation and the program goes on: a copy of the signal still
      // on its way must not end it.
      relay.stopListening(false);
      return value;
    },
    (error: unknown) => {
      const received = relay.received;
      if (received === null || !isCancelledError(error)) {
        relay.stopListening(false);
        throw error;
      }
      // Cancelled by the signal, and cleaned up: now end the way the signal ends a process.
      relay.stopListening(true);
      host.kill(host.pid, received);
      // The signal ends the process, but a moment after `kill` returns (it is delivered to
      // the process, then to its listeners), and code after `await runMain()` must not run
      // in between: the promise waits. It rejects only if the process outlives the wait,
      // when a listener of the program's took the signal. (One of them may be what ends the
      // process, as `signal-exit`'s does once it is the last: a rejection at once would
      // end it first, with exit status 1.)
      return new Promise<never>((_, reject) => setTimeout(() => reject(error), SIGNAL_GRACE_MS));
    },
  );
}

/** Refuses `signals` unless it is an array of the signals runMain takes. */
function checkSignals(signals: unknown): asserts signals is readonly ProcessSignal[] {
  if (!Array.isArray(signals)) {
    throw new TypeError(`runMain(): signals must be an array of signal names such as "SIGINT", got ${describe(signals)}`);
  }
  for (const signal of signals) {
    if (!(PROCESS_SIGNALS as readonly unknown[]).includes(signal)) {
      throw new TypeError(`runMain(): ${describe(signal)} is not one of the signals it takes: ${PROCESS_SIGNALS.join(", ")}`);
    }
  }
}

/**
 * The process's signals, turned into a cancellation of the main task while runMain runs:
 * the first cancels it, the same one again within REPEATED_SIGNAL_MS is taken for one
 * delivered twice, and any other ends the process at once.
 */
class SignalRelay {
  /** The first signal taken, and when (performance.now()). */
  received: string | null = null;
  private receivedAt = 0;
  private mainTask: Task<unknown> | null = null;
  private listeners: (readonly [signal: string, listener: () => void])[];
  /**
   * Signal listeners do not keep a process alive, and a main that only waits for them
   * (for Ctrl-C) schedules nothing that does: this timer does, until the run is over.
   */
  private keepAlive: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly host: SignalProcess,
    signals: readonly ProcessSignal[],
  ) {
    this.listeners = signals.map((signal) => [signal, () => this.onSignal(signal)] as const);
  }

  /**
   * Takes the signals. One the host refuses to listen for throws, unless `skipRefused`:
   * then it is left to the host, as asyncio runs without its handler where it cannot
   * install one (Deno before 2.8 on Windows listens for SIGINT and SIGBREAK only).
   */
  listen(skipRefused: boolean): void {
    listening = true;
    this.keepAlive = setInterval(() => {}, MAX_HOST_DELAY);
    this.listeners = this.listeners.filter(([signal, listener]) => {
      try {
        this.host.on(signal, listener);
        return true;
      } catch (error) {
        if (skipRefused) return false;
        throw error;
      }
    });
  }

  /** The main task took its first step: a signal taken before is delivered now. */
  started(mainTask: Task<unknown>): void {
    this.mainTask = mainTask;
    if (this.received !== null) mainTask.cancel(`${this.received} received`);
  }

  private onSignal(signal: string): void {
    if (this.received === null) {
      this.received = signal;
      this.receivedAt = performance.now();
      // Before the main task's first step, it is cancelled as that step begins.
      this.mainTask?.cancel(`${signal} received`);
      return;
    }
    if (signal === this.received && performance.now() - this.receivedAt < REPEATED_SIGNAL_MS) return;
    // A second signal: no more waiting for cleanup.
    this.stopListening(true);
    this.host.kill(this.host.pid, signal);
  }

  private stopTakingSignals(): void {
    for (const [signal, listener] of this.listeners) this.host.off(signal, listener);
    this.listeners = [];
  }

  /**
   * A signal just received may still come a second time (see REPEATED_SIGNAL_MS), and
   * without a listener that copy would end the process by default, cutting the cleanup
   * the first one started: it is still taken for one until the window ends. Only that
   * signal's listener stays: another signal does what it does by default.
   */
  stopTakingSignalsAfterRepeats(): void {
    const repeatsUntil = this.received === null ? 0 : this.receivedAt + REPEATED_SIGNAL_MS - performance.now();
    if (repeatsUntil <= 0) return this.stopTakingSignals();
    for (const [signal, listener] of this.listeners) if (signal !== this.received) this.host.off(signal, listener);
    this.listeners = this.listeners.filter(([signal]) => signal === this.received);
    setTimeout(() => this.stopTakingSignals(), repeatsUntil);
  }

  /** The run is over: `now`, when the signal is to be raised again, or after the repeats. */
  stopListening(now: boolean): void {
    listening = false;
    if (this.keepAlive !== null) clearInterval(this.keepAlive);
    this.keepAlive = null;
    if (now) this.stopTakingSignals();
    else this.stopTakingSignalsAfterRepeats();
  }
}

/** Node's, Bun's or Deno's `process`, if this host has one that can take signal listeners. */
function processWithSignals(): SignalProcess | null {
  const host = (globalThis as { process?: Partial<SignalProcess> }).process;
  const usable =
    typeof host?.on === "function" &&
    typeof host.off === "function" &&
    typeof host.kill === "function" &&
    typeof host.pid === "number";
  return usable ? (host as SignalProcess) : null;
}
