// `with(body)` of Lock, Semaphore and Condition is a hand-written iterator (src/holding.ts)
// standing for a generator. Here it must answer every sequence of next/throw/return
// exactly as that generator does: the same results, the same errors, and the same
// acquires and releases, in the same order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Acquirable, holding } from "../src/holding.ts";

/** The generator that `holding` stands for. */
function* reference<R>(primitive: Acquirable, body: Iterator<unknown, R, unknown>): Generator<unknown, R, unknown> {
  yield* { [Symbol.iterator]: () => primitive._acquire() };
  try {
    return yield* { [Symbol.iterator]: () => body };
  } finally {
    primitive.release();
  }
}

interface Shape {
  /** How many times acquire() waits before it takes the resource. */
  acquireWaits: number;
  /** Whether acquire() swallows an error thrown into it (and takes the resource anyway). */
  acquireSwallows: boolean;
  /** How many times the body waits before it returns. */
  bodyWaits: number;
  /** Whether the body catches what is thrown into it (and goes on). */
  bodyCatches: boolean;
  /** How many times the body's finally waits. */
  finallyWaits: number;
}

type Op = ["next", number] | ["throw", number] | ["return", number];

/** Waits `count` times, logging what each wait gets; an error thrown in is logged, then rethrown or not. */
function* waits(who: string, count: number, swallows: boolean, log: string[]): Generator<unknown, void, unknown> {
  for (let k = 0; k < count; k++) {
    try {
      log.push(`${who} got ${String(yield `${who} wait ${k}`)}`);
    } catch (error) {
      log.push(`${who} caught ${String(error)}`);
      if (!swallows) throw error;
    }
  }
}

/** A primitive and a body of the given shape, logging what happens to `log`. */
function scene(shape: Shape, log: string[]): { primitive: Acquirable; body: Generator<unknown, string, unknown> } {
  // It yields strings, not a task's awaitables: it is driven here, not by a task.
  function* acquire(): Generator<unknown, true, unknown> {
    yield* waits("acquire", shape.acquireWaits, shape.acquireSwallows, log);
    log.push("acquired");
    return true;
  }
  const primitive: Acquirable = {
    _acquire: acquire as Acquirable["_acquire"],
    release() {
      log.push("released");
    },
  };
  function* body(): Generator<unknown, string, unknown> {
    try {
      yield* waits("body", shape.bodyWaits, shape.bodyCatches, log);
      return "body result";
    } finally {
      for (let k = 0; k < shape.finallyWaits; k++) log.push(`finally got ${String(yield `finally wait ${k}`)}`);
      log.push("body finally done");
    }
  }
  return { primitive, body: body() };
}

/** Drives `iterator` through `ops`, recording each answer or error. */
function drive(iterator: Iterator<unknown, unknown, unknown>, ops: Op[], log: string[]): string[] {
  for (const [how, n] of ops) {
    try {
      const result =
        how === "next" ? iterator.next(n) : how === "throw" ? iterator.throw!(`error ${n}`) : iterator.return!(n);
      log.push(`${how} ${n} -> ${JSON.stringify(result)}`);
    } catch (error) {
      log.push(`${how} ${n} threw ${String(error)}`);
    }
  }
  return log;
}

const shapes = fc.record({
  acquireWaits: fc.integer({ min: 0, max: 2 }),
  acquireSwallows: fc.boolean(),
  bodyWaits: fc.integer({ min: 0, max: 3 }),
  bodyCatches: fc.boolean(),
  finallyWaits: fc.integer({ min: 0, max: 2 }),
});
const ops = fc.array(
  fc.tuple(fc.constantFrom("next" as const, "next" as const, "throw" as const, "return" as const), fc.integer({ min: 0, max: 9 })),
  { maxLength: 10 },
) as fc.Arbitrary<Op[]>;

describe("holding (the with() of Lock, Semaphore and Condition)", () => {
  it("answers every sequence of next/throw/return as its generator does", () => {
    fc.assert(
      fc.property(shapes, ops, (shape, sequence) => {
        const expected: string[] = [];
        const ours: string[] = [];
        const a = scene(shape, expected);
        const b = scene(shape, ours);
        drive(reference(a.primitive, a.body), sequence, expected);
        drive(holding(b.primitive, () => b.body as Generator<never, string, unknown>, "test"), sequence, ours);
        expect(ours).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("turns a bad body into a TypeError at once, before acquiring anything", () => {
    const log: string[] = [];
    const { primitive } = scene({ acquireWaits: 0, acquireSwallows: false, bodyWaits: 0, bodyCatches: false, finallyWaits: 0 }, log);
    expect(() => holding(primitive, 42 as never, "Lock.with()")).toThrow(
      new TypeError("Lock.with() needs a generator (call a function* to get one), got number 42"),
    );
    expect(log).toEqual([]);
  });
});
