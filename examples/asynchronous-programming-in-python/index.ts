/** The examples of "Asynchronous Programming in Python", in the article's order. */
import type { Example } from "../lib/example.ts";
import { article } from "./article.ts";
import { example as coroutine } from "./creating-a-coroutine.ts";
import { example as createTask } from "./create-task.ts";
import { example as currentTask } from "./current-task.ts";
import { example as eventLoop } from "./event-loop.ts";
import { example as future } from "./future.ts";
import { example as gather } from "./gather.ts";
import { example as sequential } from "./sequential.ts";

export { article };

export const examples: readonly Example[] = [coroutine, sequential, createTask, gather, currentTask, eventLoop, future];
