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
