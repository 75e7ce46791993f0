/**
 * Every article's examples. To add an article: make examples/<article-slug>/ with one
 * file per snippet (each exporting `example`, see lib/example.ts), an article.ts and an
 * index.ts listing them in the article's order, then add it to `articles` below. The
 * tour, `npm run example` and test/examples.test.ts pick it up from here.
 */
import * as asynchronousProgrammingInPython from "./asynchronous-programming-in-python/index.ts";
import * as deepDiveIntoPythonAsyncProgramming from "./deep-dive-into-python-async-programming/index.ts";
import * as exploringTheWorldOfAsynchronousProgrammingInPython from "./exploring-the-world-of-asynchronous-programming-in-python/index.ts";
import type { Example } from "./lib/example.ts";
import * as pythonAsynchronousProgrammingInPython from "./python-asynchronous-programming-in-python/index.ts";
import * as unlockingThePowerOfAsynchronousProgrammingInPython from "./unlocking-the-power-of-asynchronous-programming-in-python/index.ts";

export interface Article {
  readonly article: { readonly slug: string; readonly title: string };
  readonly examples: readonly Example[];
}

/** The articles, in tour order: the order of the project's copies (000 to 004). */
export const articles: readonly Article[] = [
  exploringTheWorldOfAsynchronousProgrammingInPython,
  unlockingThePowerOfAsynchronousProgrammingInPython,
  pythonAsynchronousProgrammingInPython,
  asynchronousProgrammingInPython,
  deepDiveIntoPythonAsyncProgramming,
];

/** Every example, in tour order. */
export const allExamples: readonly Example[] = articles.flatMap((a) => a.examples);

/** `<article>/<name>`: an example's name that is unique across articles. */
export function qualifiedName(example: Example): string {
  return `${example.article}/${example.name}`;
}

/**
 * The example called `name`: its qualified name `<article>/<name>`, or its bare name
 * when only one article has an example of that name. Undefined if none (or ambiguous).
 */
export function findExample(name: string): Example | undefined {
  const exact = allExamples.find((e) => qualifiedName(e) === name);
  if (exact !== undefined) return exact;
  const matches = allExamples.filter((e) => e.name === name);
  return matches.length === 1 ? matches[0] : undefined;
}
