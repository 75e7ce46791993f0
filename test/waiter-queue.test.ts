// The waiter queue behind every primitive, against an array as the model.
import fc from "fast-check";
import { expect, it } from "vitest";
import { WaiterQueue } from "../src/waiter-queue.ts";

it("WaiterQueue keeps arrival order under random adds, deletes and finds", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(200)), { maxLength: 600 }), (ops) => {
      const queue = new WaiterQueue<{ n: number }>();
      const model: { n: number }[] = [];
      const items = Array.from({ length: 201 }, (_, n) => ({ n }));
      for (const [op, i] of ops) {
        const item = items[i]!;
        if (op === 0 && !model.includes(item)) {
          queue.add(item);
          model.push(item);
        } else if (op === 1) {
          expect(queue.delete(item)).toBe(model.includes(item));
          if (model.includes(item)) model.splice(model.indexOf(item), 1);
        } else {
          // Delete from the front, as woken waiters do, so the head moves and compacts.
          const first = model.shift();
          expect(queue.first()).toBe(first);
          if (first !== undefined) queue.delete(first);
        }
        expect(queue.size).toBe(model.length);
        expect([...queue]).toEqual(model);
        expect(queue.find((x) => x.n % 2 === 1)).toBe(model.find((x) => x.n % 2 === 1));
      }
    }),
    { numRuns: 200 },
  );
});

it("WaiterQueue squeezes out holes left behind a waiter that stays, so it stays small", () => {
  // A task parked on a stop Event all day, and others timing out behind it: before, each
  // left a hole the array kept, and each removal scanned all of them (quadratic).
  const queue = new WaiterQueue<{ n: number }>();
  const staying = { n: -1 };
  queue.add(staying);
  const length = () => (queue as unknown as { items: unknown[] }).items.length;
  let longest = 0;
  for (let n = 0; n < 100_000; n++) {
    const leaving = { n };
    queue.add(leaving);
    if (n % 3 === 0) queue.add({ n: -2 - n }); // some stay a while longer
    expect(queue.delete(leaving)).toBe(true);
    longest = Math.max(longest, length() - 2 * queue.size);
    if (queue.size > 10) {
      // The oldest of the others leaves too, from the middle.
      const second = [...queue][1]!;
      queue.delete(second);
    }
  }
  expect(longest).toBeLessThanOrEqual(65);
  expect(queue.first()).toBe(staying);
  expect([...queue].map((item) => item.n)).toEqual([...queue].map((item) => item.n).sort((a, b) => b - a));
});
