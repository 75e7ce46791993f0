/**
 * W6: queue ping-pong across N messages (1,000,000). Two tasks and two unbounded queues:
 * A puts a message into q1 and gets from q2; B gets from q1 and puts what it got into q2.
 * Each task sends N/2 messages.
 *
 * One "message" is one hand-over from one task to the other: a put, and the get in the
 * other task that returns it. Since a get always finds its queue empty (the sender is
 * the only other task, and it waits for the reply), every message also wakes the
 * receiver and suspends the sender, like one W2 switch. ns per message = wall / N.
 *
 * Each row checks that B received 0, 1, 2, ... in order and that A got each one back.
 */
import { getRunningLoop, Queue, run } from "../src/index.ts";
import { now } from "./process-stats.ts";
import type { Metrics, Workload } from "./types.ts";

/** Checks the echo and shapes the metrics; `messages` counts the gets that returned. */
function result(n: number, wallMs: number, messages: number): Metrics {
  if (messages !== n) throw new Error(`expected ${n} messages, counted ${messages}`);
  return { n, wallMs, nsPerMessage: (wallMs * 1e6) / n };
}

function expect(got: number, want: number): void {
  if (got !== want) throw new Error(`message ${want} arrived as ${got}`);
}

function wasyncio(core: "wasm" | "js") {
  return async (n: number) => {
    let messages = 0;
    const q1 = new Queue<number>();
    const q2 = new Queue<number>();
    function* a(turns: number) {
      for (let i = 0; i < turns; i++) {
        yield* q1.put(i);
        expect(yield* q2.get(), i);
        messages++;
      }
    }
    function* b(turns: number) {
      for (let i = 0; i < turns; i++) {
        const m = yield* q1.get();
        expect(m, i);
        messages++;
        yield* q2.put(m);
      }
    }
    const t0 = now();
    await run(
      function* () {
        const loop = getRunningLoop();
        const ta = loop.createTask(a(n / 2));
        const tb = loop.createTask(b(n / 2));
        yield* ta;
        yield* tb;
      },
      { core },
    );
    return result(n, now() - t0, messages);
  };
}

/**
 * The floor for promises: an unbounded queue written for this benchmark, an item array
 * and at most one parked getter (enough for one consumer per queue, as here).
 */
class NativeQueue<T> {
  private items: T[] = [];
  private head = 0;
  private getter: ((item: T) => void) | null = null;

  put(item: T): void {
    const getter = this.getter;
    if (getter !== null) {
      this.getter = null;
      getter(item);
    } else this.items.push(item);
  }

  get(): Promise<T> {
    if (this.head < this.items.length) {
      const item = this.items[this.head++]!;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve(item);
    }
    return new Promise((resolve) => (this.getter = resolve));
  }
}

export const w6: Workload = {
  "wasyncio-wasm": wasyncio("wasm"),
  "wasyncio-js": wasyncio("js"),

  native: async (n) => {
    let messages = 0;
    const q1 = new NativeQueue<number>();
    const q2 = new NativeQueue<number>();
    async function a(turns: number): Promise<void> {
      for (let i = 0; i < turns; i++) {
        q1.put(i);
        expect(await q2.get(), i);
        messages++;
      }
    }
    async function b(turns: number): Promise<void> {
      for (let i = 0; i < turns; i++) {
        const m = await q1.get();
        expect(m, i);
        messages++;
        q2.put(m);
      }
    }
    const t0 = now();
    await Promise.all([a(n / 2), b(n / 2)]);
    return result(n, now() - t0, messages);
  },

  /** effection's createQueue: `add` is synchronous, `next()` waits for an item. */
  effection: async (n) => {
    const { createQueue, run: runEffection, spawn } = await import("effection");
    let messages = 0;
    const q1 = createQueue<number, never>();
    const q2 = createQueue<number, never>();
    function* a(turns: number) {
      for (let i = 0; i < turns; i++) {
        q1.add(i);
        expect((yield* q2.next()).value, i);
        messages++;
      }
    }
    function* b(turns: number) {
      for (let i = 0; i < turns; i++) {
        const m = (yield* q1.next()).value;
        expect(m, i);
        messages++;
        q2.add(m);
      }
    }
    const t0 = now();
    await runEffection(function* () {
      const ta = yield* spawn(() => a(n / 2));
      const tb = yield* spawn(() => b(n / 2));
      yield* ta;
      yield* tb;
    });
    return result(n, now() - t0, messages);
  },

  effect: async (n) => {
    const Effect = await import("effect/Effect");
    const Queue = await import("effect/Queue");
    let messages = 0;
    const t0 = now();
    await Effect.runPromise(
      Effect.gen(function* () {
        const q1 = yield* Queue.unbounded<number>();
        const q2 = yield* Queue.unbounded<number>();
        const a = Effect.gen(function* () {
          for (let i = 0; i < n / 2; i++) {
            yield* Queue.offer(q1, i);
            expect(yield* Queue.take(q2), i);
            messages++;
          }
        });
        const b = Effect.gen(function* () {
          for (let i = 0; i < n / 2; i++) {
            const m = yield* Queue.take(q1);
            expect(m, i);
            messages++;
            yield* Queue.offer(q2, m);
          }
        });
        yield* Effect.all([a, b], { concurrency: "unbounded", discard: true });
      }),
    );
    return result(n, now() - t0, messages);
  },
};
