/**
 * The base of the runtime's classes that have a `toString()`: it gives them the method
 * that Node's `util.inspect`, and so `console.log`, calls to show an object (Deno's and
 * Bun's consoles call it too). They answer with their `toString()`, one line such as
 * `<Task pending name=worker>`, as asyncio's repr is: otherwise a task prints as its
 * fields, down through its loop and the loop's scheduler core. Browsers' consoles do not
 * call it, and show the object to unfold instead.
 *
 * A base class made by a pure call, rather than the method in each class: a class whose
 * body has a computed key (`[Symbol.for(...)]()`) is kept by bundlers in every program,
 * used or not.
 */
export const Shown: new () => object = /* @__PURE__ */ (() =>
  class Shown {
    [Symbol.for("nodejs.util.inspect.custom")](): string {
      return this.toString();
    }
  })();
