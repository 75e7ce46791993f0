// The two scheduler cores, driven through their raw interface: the same test bodies for
// both, a differential property test between them, and the Wasm core's memory limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsCore } from "../src/core/js-core.ts";
import { compileInlined, loadCore } from "../src/core/load-core.ts";
import { CoreMemoryError, type SchedulerCore } from "../src/core/scheduler-core.ts";
import { WasmCore } from "../src/core/wasm-core.ts";
import { EventLoop, sleep } from "../src/index.ts";
import { CORES, xorshift32 } from "./helpers.ts";

/** Everything ready, in order, taking in batches of `batch`. */
function drain(core: SchedulerCore, batch = core.outCapacity): number[] {
  const ids: number[] = [];
  while (core.readyCount() > 0) {
    const n = core.readyTake(batch);
    ids.push(...core.out().subarray(0, n));
  }
  return ids;
}

for (const kind of CORES) {
  describe(`scheduler core [${kind}]`, () => {
    const make = () => loadCore(kind);

    it("reports its kind", () => {
      expect(make().kind).toBe(kind);
    });

    it("fires timers with equal deadlines in insertion order", () => {
      const core = make();
      for (const id of [5, 3, 9, 1, 7]) core.timerAdd(id, 100);
      core.timerAdd(2, 50);
      expect(core.expire(99)).toBe(1);
      expect(core.expire(100)).toBe(5);
      expect(drain(core)).toEqual([2, 5, 3, 9, 1, 7]);
    });

    it("keeps insertion order among equal deadlines when a cancel moves a timer under a later one", () => {
      // Built for a 4-ary heap (both cores'): the cancel of 5 leaves a hole whose parent
      // is timer 9 (deadline 5, added late) and fills it with timer 2 (deadline 5, added
      // early), which must rise above 9 although their deadlines tie.
      const core = make();
      core.timerAdd(0, 0);
      core.timerAdd(1, 9);
      core.timerAdd(2, 5);
      for (const id of [3, 4, 5, 6, 7, 8]) core.timerAdd(id, 9);
      core.timerAdd(9, 5);
      core.timerCancel(1); // 9 takes 1's place, above 5, 6, 7 and 8
      core.timerAdd(10, 4); // rises past 2, which goes down to the last place
      core.timerCancel(5);
      expect(core.expire(10)).toBe(9);
      expect(drain(core)).toEqual([0, 10, 2, 9, 3, 4, 6, 7, 8]);
    });

    it("never fires a cancelled timer, and frees its id for reuse", () => {
      const core = make();
      core.timerAdd(1, 10);
      core.timerAdd(2, 20);
      core.timerAdd(3, 30);
      expect(core.timerCancel(2)).toBe(true);
      expect(core.timerCancel(2)).toBe(false);
      expect(core.timerCount()).toBe(2);
      core.timerAdd(2, 40); // the same id, now a new timer
      expect(core.expire(35)).toBe(2);
      expect(drain(core)).toEqual([1, 3]);
      expect(core.timerNext()).toBe(40);
    });

    it("tells a pending timer's deadline, wherever the heap moved it, and NaN once it is gone", () => {
      const core = make();
      const deadlines = [70, 20, 50, 20, 90, 10];
      deadlines.forEach((deadline, id) => core.timerAdd(id, deadline));
      expect(deadlines.map((_, id) => core.timerDeadline(id))).toEqual(deadlines);
      core.timerCancel(2);
      core.expire(15); // id 5
      expect([0, 1, 2, 3, 4, 5, 6, -1, 1e6].map((id) => core.timerDeadline(id))).toEqual([
        70, 20, NaN, 20, 90, NaN, NaN, NaN, NaN,
      ]);
    });

    it("has no pending timer at an id just past its table of timer positions (1,024 ids until one reaches it)", () => {
      const core = make();
      core.timerAdd(0, 100);
      for (const id of [1023, 1024, 1025, 4096]) {
        expect(core.timerDeadline(id)).toBeNaN();
        expect(core.timerCancel(id)).toBe(false); // and the pending timer is left alone
      }
      expect(core.timerCount()).toBe(1);
      expect(core.timerDeadline(0)).toBe(100);
      expect(core.expire(100)).toBe(1);
      expect(drain(core)).toEqual([0]);
    });

    it("hands back every id of an expire that moves more timers than the ready queue held", () => {
      // The Wasm ring starts at 1,024 ids: moving more grows it, and with it the memory,
      // inside expire() itself. Nothing else may have grown it first.
      for (const n of [1_500, 3_000, 9_000]) {
        const core = make();
        for (let id = 0; id < n; id++) core.timerAdd(id, 1);
        expect(core.expire(1)).toBe(n);
        expect(drain(core)).toEqual(Array.from({ length: n }, (_, id) => id));
      }
    });

    it("does not cancel a timer that already moved to the ready queue", () => {
      const core = make();
      core.timerAdd(4, 1);
      core.expire(1);
      expect(core.timerCancel(4)).toBe(false);
      expect(drain(core)).toEqual([4]);
    });

    it("rejects a second pending timer with the same id", () => {
      const core = make();
      core.timerAdd(1, 10);
      expect(() => core.timerAdd(1, 20)).toThrow(/already pending/);
      expect(() => core.timerAdd(-1, 20)).toThrow(RangeError);
      expect(core.timerCount()).toBe(1);
    });

    it("reports Infinity as the next deadline when no timer is pending", () => {
      const core = make();
      expect(core.timerNext()).toBe(Infinity);
      core.timerAdd(0, Infinity);
      expect(core.expire(1e300)).toBe(0);
      expect(core.timerNext()).toBe(Infinity);
      expect(core.timerCount()).toBe(1);
    });

    it("keeps the ready ring FIFO across growth and wrap-around", () => {
      const core = make();
      const expected: number[] = [];
      const taken: number[] = [];
      let next = 0;
      // Interleave pushes and partial takes so the ring wraps before it grows.
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 300; i++) {
          core.readyPush(next);
          expected.push(next++);
        }
        const n = core.readyTake(170);
        taken.push(...core.out().subarray(0, n));
      }
      taken.push(...drain(core, 333));
      expect(taken).toEqual(expected);
    });

    it("takes at most outCapacity ids per batch", () => {
      const core = make();
      for (let i = 0; i < 3000; i++) core.readyPush(i);
      expect(core.readyTake(5000)).toBe(core.outCapacity);
      expect(core.readyCount()).toBe(3000 - core.outCapacity);
    });

    it("keeps timers and ready ids intact while both regions grow", () => {
      const core = make();
      for (let i = 0; i < 5000; i++) {
        core.timerAdd(i, 5000 - i);
        core.readyPush(100_000 + i);
      }
      expect(core.expire(2500)).toBe(2500); // deadlines 1..2500 are due
      const ids = drain(core);
      expect(ids.slice(0, 5000)).toEqual(Array.from({ length: 5000 }, (_, i) => 100_000 + i));
      expect(ids.slice(5000)).toEqual(Array.from({ length: 2500 }, (_, i) => 4999 - i));
      expect(core.timerNext()).toBe(2501);
    });

    it("fires 1,000,000 seeded timers exactly once each, in deadline order", () => {
      const core = make();
      const random = xorshift32();
      const N = 1_000_000;
      const deadlines = new Float64Array(N);
      for (let id = 0; id < N; id++) {
        deadlines[id] = random() % 1000;
        core.timerAdd(id, deadlines[id]!);
      }
      const fired = new Uint8Array(N);
      let count = 0;
      let lastDeadline = -1;
      let lastId = -1;
      for (let now = 0; now < 1007; now += 7) {
        core.expire(now);
        while (core.readyCount() > 0) {
          const n = core.readyTake(1024);
          const out = core.out();
          for (let i = 0; i < n; i++) {
            const id = out[i]!;
            const d = deadlines[id]!;
            // Deadline order; ties in insertion (= id) order.
            if (d < lastDeadline || (d === lastDeadline && id < lastId)) throw new Error(`out of order at ${id}`);
            if (fired[id]) throw new Error(`timer ${id} fired twice`);
            fired[id] = 1;
            lastDeadline = d;
            lastId = id;
            count++;
          }
        }
      }
      expect(count).toBe(N);
      expect(core.timerCount()).toBe(0);
    });
  });
}

describe("the Wasm and JS cores, differentially", () => {
  type Op =
    | { kind: "add"; id: number; deadline: number }
    | { kind: "cancel"; id: number }
    | { kind: "deadline"; id: number }
    | { kind: "push"; id: number }
    | { kind: "expire"; now: number }
    | { kind: "take"; max: number };

  /** Ids at the end of the Wasm core's table of timer positions, which holds 1,024 until an added id needs more. */
  const pastPositions = fc.constantFrom(1023, 1024, 1025);
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("add" as const), id: fc.nat(300), deadline: fc.integer({ min: -5, max: 200 }) }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant("cancel" as const), id: fc.oneof(fc.integer({ min: -1, max: 300 }), pastPositions) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant("deadline" as const), id: fc.oneof(fc.integer({ min: -1, max: 300 }), pastPositions) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant("push" as const), id: fc.nat(5000) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant("expire" as const), now: fc.integer({ min: -5, max: 220 }) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant("take" as const), max: fc.integer({ min: 0, max: 1500 }) }), weight: 2 },
  );

  /** Applies one op and returns everything observable about it. */
  function apply(core: SchedulerCore, o: Op): unknown {
    switch (o.kind) {
      case "add":
        try {
          core.timerAdd(o.id, o.deadline);
          return "added";
        } catch (error) {
          return (error as Error).message;
        }
      case "cancel":
        return core.timerCancel(o.id);
      case "deadline":
        return core.timerDeadline(o.id);
      case "push":
        core.readyPush(o.id);
        return core.readyCount();
      case "expire":
        return core.expire(o.now);
      case "take": {
        // Up to `max` ids, in as many batches as the core's outCapacity takes (1,024 in
        // the Wasm core, 16 in the JS core): the ids and their order must be the same.
        const ids: number[] = [];
        for (let n = -1; n !== 0 && ids.length < o.max; ) {
          n = core.readyTake(o.max - ids.length);
          expect(n).toBeLessThanOrEqual(core.outCapacity);
          ids.push(...core.out().subarray(0, n));
        }
        return ids;
      }
    }
  }

  it("gives identical results for random operation sequences", () => {
    fc.assert(
      // `size: "max"`: sequences of up to 400 operations, not fast-check's default of about 10.
      fc.property(fc.array(op, { maxLength: 400, size: "max" }), (ops) => {
        const wasm = loadCore("wasm");
        const js = loadCore("js");
        for (const o of ops) {
          expect(apply(wasm, o)).toEqual(apply(js, o));
          expect([wasm.timerCount(), wasm.timerNext(), wasm.readyCount()]).toEqual([
            js.timerCount(),
            js.timerNext(),
            js.readyCount(),
          ]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("core memory", () => {
  it("the Wasm core reports out-of-memory as a clear error and stays usable", () => {
    const module = compileInlined();
    if (module instanceof Error) throw module;
    const core = new WasmCore(module, { maxPages: 2 });
    let added = 0;
    let error: unknown;
    try {
      for (; added < 1_000_000; added++) core.timerAdd(added, added);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoreMemoryError);
    expect(String(error)).toMatch(/ran out of memory/);
    expect(added).toBeGreaterThan(1000);
    expect(core.timerCount()).toBe(added);
    // What it holds is intact and it keeps working once timers leave.
    expect(core.timerCancel(0)).toBe(true);
    core.timerAdd(0, 4.5);
    expect(core.expire(5)).toBe(6);
    expect([...core.out().subarray(0, core.readyTake(10))]).toEqual([1, 2, 3, 4, 0, 5]);
  });

  /** A Wasm core that cannot grow, given ready ids 0, 1, 2... until it is full; and how many it took. */
  function fullWasmCore(): { core: WasmCore; pushed: number } {
    const module = compileInlined();
    if (module instanceof Error) throw module;
    const core = new WasmCore(module, { maxPages: 2 });
    let pushed = 0;
    expect(() => {
      for (; pushed < 1_000_000; pushed++) core.readyPush(pushed);
    }).toThrow(CoreMemoryError);
    return { core, pushed };
  }

  it("a Wasm core that cannot grow still hands out everything it holds, in order", () => {
    const { core, pushed } = fullWasmCore();
    expect(pushed).toBeGreaterThan(1000);
    expect(core.readyCount()).toBe(pushed);
    // Before, taking committed the staged ids first and failed there: nothing came out.
    expect(drain(core)).toEqual(Array.from({ length: pushed }, (_, i) => i));
    core.readyPush(7);
    expect(drain(core)).toEqual([7]);
  });

  it("a full Wasm core that takes a few, then is given more than fit, commits those that fit and keeps the rest in order", () => {
    const { core, pushed } = fullWasmCore();
    const out = [...core.out().subarray(0, core.readyTake(5))]; // room for 5 in the ring
    let more = 0;
    expect(() => {
      for (; more < 100_000; more++) core.readyPush(pushed + more);
    }).toThrow(CoreMemoryError);
    expect(more).toBeGreaterThanOrEqual(5);
    out.push(...drain(core));
    expect(out).toEqual(Array.from({ length: pushed + more }, (_, i) => i));
  });

  it("a full Wasm core whose ring wraps around hands out a whole batch without touching the ids still staged", () => {
    const module = compileInlined();
    if (module instanceof Error) throw module;
    const core = new WasmCore(module, { maxPages: 1 }); // a ring of 4,096 ids that cannot grow
    let next = 0;
    const fill = (): void => {
      expect(() => {
        for (; ; next++) core.readyPush(next);
      }).toThrow(CoreMemoryError);
    };
    fill();
    // Taken and refilled, the ring's front moves on to 5 + 3 × 1,024: the fourth batch of
    // 1,024 reads across the ring's end while a full buffer of ids waits, staged, beside
    // the batch's own buffer.
    const out: number[] = [];
    for (const batch of [5, 1024, 1024, 1024, 1024]) {
      out.push(...core.out().subarray(0, core.readyTake(batch)));
      fill();
    }
    out.push(...drain(core));
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it("a Wasm core whose ring cannot grow moves due timers as room comes, without failing", () => {
    const module = compileInlined();
    if (module instanceof Error) throw module;
    const core = new WasmCore(module, { maxPages: 2 });
    let timers = 0;
    expect(() => {
      for (; timers < 1_000_000; timers++) core.timerAdd(timers, timers % 7);
    }).toThrow(CoreMemoryError);
    const order = Array.from({ length: timers }, (_, id) => id).sort((a, b) => (a % 7) - (b % 7) || a - b);
    // The heap holds more than the ring can take: each expire moves what fits.
    const ran: number[] = [];
    let rounds = 0;
    while (core.timerCount() > 0 || core.readyCount() > 0) {
      const moved = core.expire(10);
      expect(moved).toBeGreaterThanOrEqual(0);
      ran.push(...drain(core));
      expect(++rounds).toBeLessThan(1000);
    }
    expect(rounds).toBeGreaterThan(1);
    expect(ran).toEqual(order);
  });

  for (const kind of CORES) {
    it(`a loop whose ${kind} core is full runs what it holds, and refusals leave no ids behind`, async () => {
      const loop = new EventLoop({ clock: "virtual" });
      const module = compileInlined();
      if (module instanceof Error) throw module;
      // A core that cannot grow, as one at the end of its memory.
      (loop as unknown as { _core: SchedulerCore })._core =
        kind === "wasm" ? new WasmCore(module, { maxPages: 2 }) : new JsCore(3_000);
      const table = (loop as unknown as { _table: unknown[] })._table;
      let scheduled = 0;
      let ran = 0;
      let refusals = 0;
      loop.callSoon(() => {
        for (let i = 0; i < 40_000; i++) {
          try {
            loop.callSoon(() => ran++);
            scheduled++;
          } catch (error) {
            expect(error).toBeInstanceOf(CoreMemoryError);
            refusals++;
          }
        }
      });
      loop.callLater(1, () => loop.stop()); // in the core before it fills
      await loop.runForever();
      expect(refusals).toBeGreaterThan(20_000);
      expect(ran).toBe(scheduled);
      expect(table.length).toBeLessThan(scheduled + 10);
      const later = await loop.runUntilComplete(sleep(5, "still running"));
      expect(later).toBe("still running");
      loop.close();
    });
  }

  it("the JS core honours its entry cap the same way", () => {
    const core = new JsCore(10);
    for (let i = 0; i < 10; i++) core.timerAdd(i, i);
    expect(() => core.timerAdd(10, 10)).toThrow(CoreMemoryError);
    expect(() => core.readyPush(99)).toThrow(CoreMemoryError);
    expect(core.timerCount()).toBe(10);
  });

  it("loadCore accepts a precompiled module and rejects an unknown choice", () => {
    const module = compileInlined();
    if (module instanceof Error) throw module;
    expect(loadCore(module).kind).toBe("wasm");
    expect(() => loadCore("fast" as never)).toThrow(/core must be "wasm", "js" or a WebAssembly.Module/);
    // Nor is any other object taken for a module: bytes, or a module's wrapper.
    for (const choice of [{}, new Uint8Array(8), 42]) {
      expect(() => loadCore(choice as never)).toThrow(/core must be "wasm", "js" or a WebAssembly.Module of core.wasm, got /);
    }
  });
});
