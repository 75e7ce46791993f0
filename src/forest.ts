/**
 * @internal Items as a forest: each item under the items it is a child of, the roots being
 * those that are nobody's child, in `items`' order. An item that is the child of two
 * appears under both. A child already on the path from its root closes a cycle (tasks
 * awaiting each other) and is left out there; items that are only in cycles, so under
 * no root, are shown from the first of them in `items`' order.
 *
 * Used by the task tree (from the live tasks) and by the playground (from a recording).
 */
export function forest<T, N>(
  items: readonly T[],
  childrenOf: (item: T) => readonly T[],
  node: (item: T, children: N[]) => N,
): N[] {
  const children = new Map<T, readonly T[]>();
  const isChild = new Set<T>();
  for (const item of items) {
    const below = childrenOf(item);
    children.set(item, below);
    for (const child of below) isChild.add(child);
  }
  const placed = new Set<T>();
  const path = new Set<T>();
  const build = (item: T): N => {
    placed.add(item);
    path.add(item);
    const below = (children.get(item) ?? []).filter((child) => !path.has(child)).map(build);
    path.delete(item);
    return node(item, below);
  };
  const roots = items.filter((item) => !isChild.has(item)).map(build);
  for (const item of items) if (!placed.has(item)) roots.push(build(item));
  return roots;
}
