/** The examples of "Exploring the World of Asynchronous Programming in Python", in the article's order. */
import type { Example } from "../lib/example.ts";
import { article } from "./article.ts";
import { example as fooBarBazGather } from "./foo-bar-baz-gather.ts";
import { example as fooBarBazWait } from "./foo-bar-baz-wait.ts";
import { example as runUntilComplete } from "./run-until-complete.ts";
import { example as sleepSort } from "./sleep-sort.ts";
import { example as sleepSortTasks } from "./sleep-sort-tasks.ts";
import { example as threadPoolExecutor } from "./thread-pool-executor.ts";

export { article };

export const examples: readonly Example[] = [
  sleepSort,
  sleepSortTasks,
  fooBarBazGather,
  fooBarBazWait,
  threadPoolExecutor,
  runUntilComplete,
];
