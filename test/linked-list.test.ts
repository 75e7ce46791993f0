// The intrusive linked list behind the loop's tasks and the waiter queues, against a Set as the model.
import fc from "fast-check";
import { expect, it } from "vitest";
import { LinkedList } from "../src/linked-list.ts";
import { LinkedItem as Item } from "./helpers.ts";

it("LinkedList behaves like an insertion-ordered Set under random adds and deletes", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(30)), { maxLength: 200 }), (ops) => {
      const items = Array.from({ length: 31 }, (_, i) => new Item(i));
      const list = new LinkedList<Item>();
      const model = new Set<Item>();
      for (const [add, i] of ops) {
        const item = items[i]!;
        if (add && !model.has(item)) {
          list.add(item);
          model.add(item);
        } else if (!add && model.has(item)) {
          list.delete(item);
          model.delete(item);
        }
        expect([...list].map((x) => x.n)).toEqual([...model].map((x) => x.n));
        expect(list.size).toBe(model.size);
      }
    }),
  );
});

it("LinkedList iteration survives deleting the current item", () => {
  const list = new LinkedList<Item>();
  const items = [1, 2, 3].map((n) => new Item(n));
  for (const item of items) list.add(item);
  const seen: number[] = [];
  for (const item of list) {
    seen.push(item.n);
    list.delete(item);
  }
  expect(seen).toEqual([1, 2, 3]);
  expect(list.size).toBe(0);
});
