/** The examples of "Unlocking the Power of Asynchronous Programming in Python", in the article's order. */
import type { Example } from "../lib/example.ts";
import { article } from "./article.ts";
import { example as fetchDataTask } from "./fetch-data-task.ts";
import { example as locksAndSemaphores } from "./locks-and-semaphores.ts";
import { example as mainCoroutine } from "./main-coroutine.ts";
import { example as taskGroup } from "./task-group.ts";
import { example as taskOneTwoThree } from "./task-one-two-three.ts";

export { article };

export const examples: readonly Example[] = [mainCoroutine, fetchDataTask, taskOneTwoThree, taskGroup, locksAndSemaphores];
