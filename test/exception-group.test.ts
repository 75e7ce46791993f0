// ExceptionGroup: the parts Python's `except*` is made of, split and subgroup, checked
// against what CPython 3.13 answers for the same groups.
import { expect, it } from "vitest";
import { ExceptionGroup, TimeoutError, ValueError } from "../src/index.ts";
import { thrown } from "./helpers.ts";

class A extends Error {}
class B extends Error {}

/** A group as Python's test prints it: (message, [leaves and nested groups]). */
type Shape = [string, (string | Shape)[]] | null;
function shape(group: ExceptionGroup | null): Shape {
  if (group === null) return null;
  return [group.baseMessage, group.exceptions.map((e) => (e instanceof ExceptionGroup ? shape(e) : (e as Error).message))];
}

function sample(): ExceptionGroup {
  return new ExceptionGroup("outer", [new A("a1"), new ExceptionGroup("inner", [new A("a2"), new B("b1")]), new ValueError("c")]);
}

it("split() by class keeps the nesting on both sides", () => {
  const [matched, rest] = sample().split(A);
  expect([shape(matched), shape(rest)]).toEqual([
    ["outer", ["a1", ["inner", ["a2"]]]],
    ["outer", [["inner", ["b1"]], "c"]],
  ]);
});

it("split() and subgroup() by a list of classes, as Python's tuple: any one of them matches", () => {
  // Python: eg.split((A, ValueError)), eg.subgroup((B,)), eg.split(())
  const [matched, rest] = sample().split([A, ValueError]);
  expect([shape(matched), shape(rest)]).toEqual([
    ["outer", ["a1", ["inner", ["a2"]], "c"]],
    ["outer", [["inner", ["b1"]]]],
  ]);
  const onlyB: ExceptionGroup<B> | null = sample().subgroup([B]);
  expect(shape(onlyB)).toEqual(["outer", [["inner", ["b1"]]]]);
  const group = sample();
  expect(group.split([])).toEqual([null, expect.any(ExceptionGroup)]);
});

it("split() by predicate; a group that matches as a whole is itself, other parts are new groups", () => {
  const group = sample();
  const [matched, rest] = group.split((e) => e instanceof A || e instanceof B);
  expect([shape(matched), shape(rest)]).toEqual([["outer", ["a1", ["inner", ["a2", "b1"]]]], ["outer", ["c"]]]);
  expect(group.split(Error)[0]).toBe(group);
  const [none, all] = group.split(TimeoutError);
  expect([none, all === group, shape(all)]).toEqual([null, false, shape(group)]);
});

it("a class that is not an Error matches by instanceof too; a plain function is a predicate", () => {
  class Refusal {
    constructor(readonly reason: string) {}
  }
  const group = new ExceptionGroup("mixed", [new Refusal("no"), "a string", new A("a")]);
  const [refusals, rest] = group.split(Refusal);
  expect([refusals!.exceptions, rest!.exceptions.length]).toEqual([[new Refusal("no")], 2]);
  const [strings] = group.split(function isString(error: unknown) {
    return typeof error === "string";
  });
  expect(strings!.exceptions).toEqual(["a string"]);
  // A host's own class (native code, not written as a class in every engine) is a class.
  const response = new Response("Not Found", { status: 404 });
  expect(new ExceptionGroup("http", [response, new A("a")]).subgroup(Response)!.exceptions).toEqual([response]);
});

it("subgroup() is split()'s first part", () => {
  expect(shape(sample().subgroup(B))).toEqual(["outer", [["inner", ["b1"]]]]);
  expect(sample().subgroup(TimeoutError)).toBeNull();
});

it("the parts keep the group's cause and stack; message counts the errors, baseMessage does not", () => {
  const cause = new Error("why");
  const group = new ExceptionGroup("several", [new A("a"), new B("b")]);
  group.cause = cause;
  const [matched] = group.split(A);
  expect([matched!.message, matched!.baseMessage, matched!.cause, matched!.stack]).toEqual([
    "several (1 sub-exception)",
    "several",
    cause,
    group.stack,
  ]);
});

it("a subclass that overrides derive() keeps its class and fields in the parts", () => {
  class RequestErrors extends ExceptionGroup {
    constructor(
      message: string,
      errors: readonly unknown[],
      readonly url: string,
    ) {
      super(message, errors);
    }
    override derive(errors: readonly unknown[]): RequestErrors {
      return new RequestErrors(this.baseMessage, errors, this.url);
    }
  }
  const [timeouts, rest] = new RequestErrors("fetch failed", [new TimeoutError("slow"), new A("a")], "/x").split(TimeoutError);
  expect([timeouts instanceof RequestErrors, (timeouts as RequestErrors).url, shape(timeouts), shape(rest)]).toEqual([
    true,
    "/x",
    ["fetch failed", ["slow"]],
    ["fetch failed", ["a"]],
  ]);
});

it("refuses an empty list of errors (as Python), a message that is not a string, and a match that is not a function", () => {
  expect(thrown(() => new ExceptionGroup("none", []))).toBe(
    "ValueError: new ExceptionGroup() needs a non-empty array of errors, got an empty one",
  );
  expect(thrown(() => new ExceptionGroup("one", "x" as never))).toBe(
    'TypeError: new ExceptionGroup() needs an array of errors, got the string "x"',
  );
  expect(thrown(() => new ExceptionGroup(["a"] as never, [new A()]))).toBe(
    "TypeError: new ExceptionGroup() needs a message, got an object of class Array",
  );
  expect(thrown(() => sample().split("A" as never))).toBe(
    'TypeError: ExceptionGroup.split() needs an error class, a list of them, or a predicate, got the string "A"',
  );
  expect(thrown(() => sample().split([A, (e: unknown) => e instanceof B] as never))).toBe(
    "TypeError: ExceptionGroup.split() needs an error class, a list of them, or a predicate, got an object of class Array",
  );
});

it("subgroup() of a group with a nested one that matches in part is a new group, as CPython's", () => {
  const group = new ExceptionGroup("o", [new A("a1"), new ExceptionGroup("i", [new A("a2"), new B("b1")])]);
  expect(shape(group.subgroup(A))).toEqual(["o", ["a1", ["i", ["a2"]]]]);
  const leaves = sample();
  const all = leaves.subgroup((e) => !(e instanceof ExceptionGroup));
  expect([all === leaves, shape(all)]).toEqual([false, shape(leaves)]);
});

it("a predicate is asked once about each group and each error, as CPython's", () => {
  const inner = new ExceptionGroup("inner", [new Error("a"), new Error("b")]);
  const asked: string[] = [];
  new ExceptionGroup("outer", [new Error("c"), inner]).split((e) => {
    asked.push(e instanceof ExceptionGroup ? e.baseMessage : (e as Error).message);
    return (e as Error).message === "a";
  });
  expect(asked).toEqual(["outer", "c", "inner", "a", "b"]);
});

it("an Error class not written with `class` is matched by instanceof; a bound function is a predicate", () => {
  // As the ES5 output of TypeScript or Babel, or an older library, defines its errors.
  function HttpError(this: unknown, message: string): Error {
    return Object.setPrototypeOf(new Error(message), HttpError.prototype) as Error;
  }
  HttpError.prototype = Object.create(Error.prototype, { constructor: { value: HttpError, writable: true, configurable: true } });
  const requests = new ExceptionGroup("requests", [new (HttpError as unknown as new (m: string) => Error)("404"), new Error("other")]);
  const [matched, rest] = requests.split(HttpError as never);
  expect([shape(matched), shape(rest)]).toEqual([
    ["requests", ["404"]],
    ["requests", ["other"]],
  ]);
  const isA = function (error: unknown) {
    return error instanceof A;
  }.bind(null);
  expect(shape(sample().split(isA)[0])).toEqual(["outer", ["a1", ["inner", ["a2"]]]]);
});

it("exceptions is one array, read after read; a cause of null, 0 or undefined is copied into the parts", () => {
  const group = sample();
  expect(group.exceptions).toBe(group.exceptions); // Python's eg.exceptions is one tuple
  for (const cause of [null, 0, undefined]) {
    group.cause = cause;
    const [, rest] = group.split(A);
    expect(["cause" in rest!, rest!.cause]).toEqual([true, cause]);
  }
});
