/**
 * "Create Tasks for Parallel Execution using create_task() Method": the four coroutines
 * become tasks, which all start at once, so the whole takes as long as the longest
 * sleep, 7 s.
 *
 * ```python
 * async def main():
 *     div_task = asyncio.create_task(division(10,20))
 *     subtract_task = asyncio.create_task(subtraction(10,20), name="Subtraction")
 *     add_task = asyncio.create_task(addition(10,20))
 *     mul_task = asyncio.create_task(multiplication(10,20))
 *
 *     await div_task
 *     await subtract_task
 *     await add_task
 *     await mul_task
 * ```
 *
 * Each coroutine prints right after its own sleep, so the lines come out in the order
 * the sleeps end: Multiplication (1 s), Addition (3 s), Division (5 s), Subtraction (7 s),
 * whatever order main awaits the tasks in. The article's output (Multiplication,
 * Subtraction, Division, Addition) cannot come from this code: it puts the 7 s
 * subtraction before the 3 s addition. wasyncio prints what Python prints for this code:
 *
 * ```
 * Multiplication Result :  200
 * Addition Result :  30
 * Division Result :  0.5
 * Subtraction Result :  -10
 * ```
 *
 * Total time: exactly 7,000 ms of loop time (the article measured 7.02 s).
 */
import { type Coroutine, createTask, type Task } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { addition, division, multiplication, subtraction } from "./arithmetic.ts";
import { article } from "./article.ts";

export const example = coroutineExample({
  name: "create-task",
  title: "Running coroutines concurrently with createTask",
  article: article.slug,
  section: "Create Tasks for Parallel Execution using \"create_task()\" Method",
  explanation: "createTask starts all four at once: they finish in order of their sleeps, 7 s in all.",
  main: function* (): Coroutine<string[]> {
    const divTask = createTask(division(10, 20));
    const subtractTask = createTask(subtraction(10, 20), { name: "Subtraction" });
    const addTask = createTask(addition(10, 20));
    const mulTask = createTask(multiplication(10, 20));

    yield* divTask;
    yield* subtractTask;
    yield* addTask;
    yield* mulTask;

    // Not in the article: the task names, for the tests (one named, three Task-N).
    const tasks: Task<void>[] = [divTask, subtractTask, addTask, mulTask];
    return tasks.map((task) => task.getName());
  },
});
