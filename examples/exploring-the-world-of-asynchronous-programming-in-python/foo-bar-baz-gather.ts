/**
 * "`gather`": foo, bar and baz (1, 2 and 3 s) run concurrently.
 *
 * ```python
 * results = await asyncio.gather(foo(), bar(), baz())
 * print(results)
 * ```
 *
 * A top-level `await` works in a notebook or `python -m asyncio`, not in a script (a
 * SyntaxError); the example puts the two lines in a `main` run by `asyncio.run`. Each
 * coroutine prints its name in its first step, when gather starts it, so the three names
 * come at once, and the results come in argument order:
 *
 * ```
 * Foo
 * Bar
 * Baz
 * ['Foo result', 'Bar result', 'Baz result']
 * ```
 *
 * The list is what the article says `results` holds. Total time: exactly 3,000 ms, the
 * longest sleep, not 1 + 2 + 3 = 6 s. (gather returns a Future, not "a single
 * coroutine" as the article puts it; either way it is awaited.)
 */
import { gather } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";
import { bar, baz, foo } from "./foo-bar-baz.ts";

export const example = coroutineExample({
  name: "foo-bar-baz-gather",
  title: "foo, bar and baz with gather",
  article: article.slug,
  section: "`gather`",
  explanation: "gather starts foo, bar and baz together: 3 s, the longest sleep, with results in argument order.",
  main: function* () {
    const results = yield* gather([foo(), bar(), baz()]);
    print(results);
    return results;
  },
});
