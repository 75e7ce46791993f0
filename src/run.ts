import { RuntimeError } from "./errors.js";
import { EventLoop, LOOP_OPTIONS, type LoopOptions } from "./loop.js";
import { running } from "./running.js";
import { type MainBody, type TaskBody, toCoroutine } from "./coroutine.js";
import { shutDown } from "./shut-down.js";
import { optionsOf } from "./options.js";

/**
 * Runs `main` on a new event loop and resolves with what it returns (asyncio.run). When
 * `main` finishes, tasks still running are cancelled and waited for, then the loop is
 * closed. Accepts a generator or a generator function. For a program's entry point, where
 * Ctrl-C should cancel `main` and let its cleanup run, see {@link runMain}.
 *
 * Like every function here that returns a promise, it reports bad input by rejecting it,
 * never by throwing: a RuntimeError when called from inside a running loop, a TypeError
 * for what is not a coroutine or for options that are not an object.
 * @example
 * ```ts
 * const answer = await run(function* () {
 *   yield* sleep(3_600_000); // an hour, in no time:
 *   return 42;
 * }, { clock: "virtual" });
 * ```
 */
export async function run<T>(main: MainBody<T>, options?: LoopOptions): Promise<T> {
  if (running.loop !== null) {
    throw new RuntimeError("run() cannot be called from a running event loop");
  }
  const loop = new EventLoop(optionsOf(options, "run()", LOOP_OPTIONS));
  let result: Promise<T>;
  try {
    result = loop.runUntilComplete(loop.createTask(toCoroutine(main as TaskBody<T>, "run()")));
  } catch (error) {
    loop.close();
    throw error;
  }
  return result.finally(() => shutDown(loop));
}
