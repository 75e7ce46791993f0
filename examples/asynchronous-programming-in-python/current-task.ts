/**
 * "Retrieve Current Task and All Tasks": `currentTask()` is the task running the code
 * that calls it; `allTasks()` is the set of tasks not done yet, main's own task included.
 *
 * The article's cell cannot run as printed, so this is its corrected twin:
 *
 * 1. Each coroutine prints `"{} Started : {}".format(curr_task.get_name(), task.get_name())`,
 *    but no `task` exists there: Python raises NameError inside each task, and
 *    `await div_task` re-raises it in main. The twin prints `"{} Started."` with the
 *    current task's name, the line the article's event-loop output shows
 *    ("Task-29 Started.").
 * 2. `"Total Tasks (1) : {}".format(len(total_tasks), [names])` fills its one field
 *    with the length and drops the list, and hard-codes "(1)". The twin formats
 *    `"Total Tasks ({}) : {}"` with both, which prints what the article shows.
 * 3. The result lines print the wrong tasks ("Addition Result : " with
 *    `mul_task.result()`, and so on). The twin prints each task's own result, and
 *    since these coroutines return `a + b` (not the gather cell's tuples the article's
 *    output shows), the results are plain numbers.
 *
 * What it prints (N is the main task's number; task numbers count up for the whole
 * process, as in Python, where it was Task-13):
 *
 * ```
 * Total Tasks (5) : ['Task-N', 'Division', 'Subtraction', 'Addition', 'Multiplication']
 * Division Started.
 * Subtraction Started.
 * Addition Started.
 * Multiplication Started.
 *
 * Total Tasks (1) : ['Task-N']
 *
 * Addition Result :  30
 * Multiplication Result :  200
 * Subtraction Result :  -10
 * Division Result :  0.5
 * ```
 *
 * Python's all_tasks() returns a set, printed in hash order (the article got
 * ['Addition', 'Multiplication', 'Task-13', 'Division', 'Subtraction']); wasyncio's
 * allTasks() is a Set in creation order, so main's task comes first. The four
 * "Started" lines come after the first count: createTask only schedules a task, which
 * starts when main first waits. After the awaits only main's own task is left.
 * Total time: exactly 7,000 ms.
 */
import { allTasks, type Coroutine, createTask, currentTask, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { format, len, print } from "../lib/py.ts";
import { article } from "./article.ts";

export function* addition(a: number, b: number): Coroutine<number> {
  const currTask = currentTask()!; // Retrieve current task.
  print(format("{} Started.", currTask.getName()));
  yield* sleep(3000);
  return a + b;
}

export function* multiplication(a: number, b: number): Coroutine<number> {
  const currTask = currentTask()!;
  print(format("{} Started.", currTask.getName()));
  yield* sleep(1000);
  return a * b;
}

export function* division(a: number, b: number): Coroutine<number> {
  const currTask = currentTask()!;
  print(format("{} Started.", currTask.getName()));
  yield* sleep(5000);
  return a / b;
}

export function* subtraction(a: number, b: number): Coroutine<number> {
  const currTask = currentTask()!;
  print(format("{} Started.", currTask.getName()));
  yield* sleep(7000);
  return a - b;
}

export const example = coroutineExample({
  name: "current-task",
  title: "currentTask() and allTasks()",
  article: article.slug,
  section: "Retrieve Current Task and All Tasks",
  explanation: "allTasks() counts main's own task plus the four it created; after awaiting them, only main is left.",
  main: function* (): Coroutine<string> {
    const divTask = createTask(division(10, 20), { name: "Division" });
    const subtractTask = createTask(subtraction(10, 20), { name: "Subtraction" });
    const addTask = createTask(addition(10, 20), { name: "Addition" });
    const mulTask = createTask(multiplication(10, 20), { name: "Multiplication" });

    // The Task-N one is main's own task (the article's Task-13).
    let totalTasks = allTasks();
    print(format("Total Tasks ({}) : {}", len(totalTasks), [...totalTasks].map((task) => task.getName())));

    yield* divTask;
    yield* subtractTask;
    yield* addTask;
    yield* mulTask;

    // Only main's task is still pending.
    totalTasks = allTasks();
    print(format("\nTotal Tasks ({}) : {}", len(totalTasks), [...totalTasks].map((task) => task.getName())));

    print("\nAddition Result : ", addTask.result());
    print("Multiplication Result : ", mulTask.result());
    print("Subtraction Result : ", subtractTask.result());
    print("Division Result : ", divTask.result());

    return currentTask()!.getName(); // not in the article: main's task name, for the tests
  },
});
