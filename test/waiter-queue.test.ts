// The waiter queue behind every primitive, against an array as the model.
import fc from "fast-check";
import { expect, it } from "vitest";
import { WaiterQueue } from "../src/waiter-queue.ts";
import { LinkedItem as Item } from "./helpers.ts";

it("WaiterQueue keeps arrival order under random adds, deletes, takes and finds", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(200)), { maxLength: 600 }), (ops) => {
      const queue = new WaiterQueue<Item>();
      const model: Item[] = [];
      const items = Array.from({ length: 201 }, (_, n) => new Item(n));
      for (const [op, i] of ops) {
        const item = items[i]!;
        if (op === 0 && !model.includes(item)) {
          queue.add(item);
          model.push(item);
        } else if (op === 1) {
          // From anywhere, and again after it left: a waiter's own cleanup after a wakeup took it.
          expect(queue.delete(item)).toBe(model.includes(item));
          if (model.includes(item)) model.splice(model.indexOf(item), 1);
        } else if (op === 2) {
          expect(queue.first()).toBe(model[0]);
          expect(queue.take()).toBe(model.shift());
        } else {
          expect(queue.find((x) => x.n % 2 === 1)).toBe(model.find((x) => x.n % 2 === 1));
        }
        expect(queue.size).toBe(model.length);
        expect([...queue]).toEqual(model);
      }
    }),
    { numRuns: 200 },
  );
});
