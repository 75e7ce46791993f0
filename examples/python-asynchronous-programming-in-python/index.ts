/** The examples of "[python] Asynchronous programming in Python", in the article's order. */
import type { Example } from "../lib/example.ts";
import { article } from "./article.ts";
import { example as runningAsynchronousCode } from "./running-asynchronous-code.ts";

export { article };

export const examples: readonly Example[] = [runningAsynchronousCode];
