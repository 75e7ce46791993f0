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

it("an item deleted from the middle, then deleted again, is not in the queue and leaves the others linked", () => {
  // As a Condition's waiter that notify() passed over (cancelled), whose own cleanup then
  // takes it out again.
  const queue = new WaiterQueue<Item>();
  const [a, b, c] = [1, 2, 3].map((n) => new Item(n));
  for (const item of [a!, b!, c!]) queue.add(item);
  expect(queue.delete(b!)).toBe(true);
  expect(queue.delete(b!)).toBe(false);
  expect(queue.size).toBe(2);
  expect([...queue].map((item) => item.n)).toEqual([1, 3]);
});

it("the last item, not the first, deleted, leaves the queue; the one before it becomes the last", () => {
  // As the newest waiter on a primitive, cancelled while older ones wait.
  const queue = new WaiterQueue<Item>();
  const [a, b, c, d] = [1, 2, 3, 4].map((n) => new Item(n));
  for (const item of [a!, b!, c!]) queue.add(item);
  expect(queue.delete(c!)).toBe(true);
  expect(queue.delete(c!)).toBe(false);
  expect([queue.size, [...queue].map((item) => item.n)]).toEqual([2, [1, 2]]);
  queue.add(d!);
  expect(queue.delete(d!)).toBe(true);
  expect([queue.take()?.n, queue.take()?.n, queue.take()]).toEqual([1, 2, undefined]);
});
