/**
 * "Event Loops": the low-level way to run a coroutine, a loop of your own.
 *
 * The article's cell calls `loop.run_until_complete(main())` inside `main` itself, which
 * cannot run (it would start the loop from within itself). Its output, four
 * "Task-N Started." lines and nothing else, is what the code does with the loop lines
 * moved out of main, as intended:
 *
 * ```python
 * async def main():
 *     div_task = asyncio.create_task(division(10,20))
 *     subtract_task = asyncio.create_task(subtraction(10,20))
 *     add_task = asyncio.create_task(addition(10,20))
 *     mul_task = asyncio.create_task(multiplication(10,20))
 *
 * loop = asyncio.new_event_loop()   # the article's get_event_loop() is deprecated for this
 * loop.run_until_complete(main())
 * loop.close()                      # the article comments it out
 * ```
 *
 * (The coroutines are those of the current-task example, which print
 * "{task name} Started.".) main does not await its tasks, so run_until_complete returns
 * as soon as main has returned: the loop stops after the iteration in which the four
 * tasks take their first step, print "Task-N Started." and go to sleep. So it takes
 * 0 ms of loop time and leaves the four tasks pending: no result is ever printed.
 * asyncio.run (wasyncio's `run`) would instead cancel the tasks left pending before
 * closing the loop; awaiting them in main would take 7 s.
 *
 * Output (four consecutive task numbers; the article got Task-29 to Task-32):
 *
 * ```
 * Task-N Started.
 * Task-N+1 Started.
 * Task-N+2 Started.
 * Task-N+3 Started.
 * ```
 *
 * and on stderr, when the loop closes, one report per task left pending, as CPython
 * 3.13 prints when it collects them (the article's notebook does not show stderr):
 *
 * ```
 * wasyncio: Task was destroyed but it is pending!
 *   <Task pending name=Task-N>
 * ```
 */
import { allTasks, type Coroutine, createTask, EventLoop } from "../../src/index.ts";
import type { Example, ExampleRun, RunOptions } from "../lib/example.ts";
import { article } from "./article.ts";
import { addition, division, multiplication, subtraction } from "./current-task.ts";

export function* main(): Coroutine<string[]> {
  const divTask = createTask(division(10, 20));
  const subtractTask = createTask(subtraction(10, 20));
  const addTask = createTask(addition(10, 20));
  const mulTask = createTask(multiplication(10, 20));
  // Not in the article: the names, for the tests.
  return [divTask, subtractTask, addTask, mulTask].map((task) => task.getName());
}

/** What the tests check: the tasks main created, and those still pending when the loop stopped. */
export interface EventLoopResult {
  created: string[];
  pending: string[];
}

export const example: Example<EventLoopResult> = {
  name: "event-loop",
  title: "An event loop of your own: runUntilComplete and close",
  article: article.slug,
  section: "Event Loops",
  explanation:
    "runUntilComplete(main) stops once main returns: its four unawaited tasks print 'Started' and stay pending (0 ms); close() reports them.",
  async run({ clock = "virtual", core }: RunOptions = {}): Promise<ExampleRun<EventLoopResult>> {
    const loop = new EventLoop({ clock, core });
    try {
      const created = await loop.runUntilComplete(main());
      const pending = [...allTasks(loop)].map((task) => task.getName());
      return { value: { created, pending }, loopTime: loop.time(), core: loop.core };
    } finally {
      loop.close();
    }
  },
};
