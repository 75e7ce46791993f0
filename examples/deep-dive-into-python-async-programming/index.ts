/** The examples of "Deep Dive into Python Async Programming", in the article's order. */
import type { Example } from "../lib/example.ts";
import { article } from "./article.ts";
import { example as chooseCore } from "./choose-core.ts";
import { example as cpuBoundWorkers } from "./cpu-bound-workers.ts";
import { example as createTwoTasks } from "./create-two-tasks.ts";
import { example as futureMethods } from "./future-methods.ts";
import { example as helloAsync } from "./hello-async.ts";
import { example as webServer } from "./web-server.ts";

export { article };

export const examples: readonly Example[] = [helloAsync, chooseCore, createTwoTasks, futureMethods, webServer, cpuBoundWorkers];
