// mustAwait: the first operation of each kind refuses `await` for its whole kind, and
// never for plain objects, whose kind is every object's.
import { expect, it } from "vitest";
import { mustAwait } from "../src/must-await.ts";

it("gives an operation's kind a then that refuses, and leaves Object.prototype alone", async () => {
  class Operation {}
  const first = mustAwait(new Operation() as never, "op()");
  await expect(Promise.resolve().then(() => first)).rejects.toThrow(/awaited with yield\* in a function\*, not with await/);
  expect(typeof (new Operation() as { then?: unknown }).then).toBe("function"); // the whole kind
  const plain = mustAwait({ step: 1 } as never, "plain()");
  expect(plain).toEqual({ step: 1 });
  expect("then" in {}).toBe(false);
  expect(await Promise.resolve({ done: true })).toEqual({ done: true });
});

it("gives the kind a then that for...in does not list: an operation's keys are its own", () => {
  class Operation {
    step = 1;
  }
  const op = mustAwait(new Operation() as never, "op()") as object;
  const keys: string[] = [];
  for (const key in op) keys.push(key);
  expect(keys).toEqual(["step"]);
  expect(typeof (op as { then?: unknown }).then).toBe("function");
});
