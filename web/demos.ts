// The programs the page can run: article examples that need nothing but the runtime
// (no worker threads, no sockets), so they run in any browser.
import { example as createTask } from "../examples/asynchronous-programming-in-python/create-task.ts";
import { example as fooBarBazGather } from "../examples/exploring-the-world-of-asynchronous-programming-in-python/foo-bar-baz-gather.ts";
import { example as fooBarBazWait } from "../examples/exploring-the-world-of-asynchronous-programming-in-python/foo-bar-baz-wait.ts";
import { example as sleepSortTasks } from "../examples/exploring-the-world-of-asynchronous-programming-in-python/sleep-sort-tasks.ts";
import type { Example } from "../examples/lib/example.ts";
import { example as locksAndSemaphores } from "../examples/unlocking-the-power-of-asynchronous-programming-in-python/locks-and-semaphores.ts";
import { example as taskGroup } from "../examples/unlocking-the-power-of-asynchronous-programming-in-python/task-group.ts";
import { example as taskOneTwoThree } from "../examples/unlocking-the-power-of-asynchronous-programming-in-python/task-one-two-three.ts";

/** In the order the page lists them; the first runs when the page opens. */
export const demos: readonly Example[] = [
  fooBarBazGather,
  fooBarBazWait,
  sleepSortTasks,
  taskOneTwoThree,
  createTask,
  taskGroup,
  locksAndSemaphores,
];
