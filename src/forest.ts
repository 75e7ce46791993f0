/**
 * @internal Items as a forest: each item under the items it is a child of, the roots being
 * those that are nobody's child, in `items`' order. An item that is the child of two
 * appears under both, as one node, built once: a task awaited by many tasks, each awaited
 * by many, costs its subtree once, not once per path to it. A child already on the path
 * from its root closes a cycle (tasks awaiting each other): it is left out there, and
 * `node` is told (`closesCycle`). Items that are only in cycles, so under no root, are
 * shown from the first of them in `items`' order.
 *
 * Used by the task tree (from the live tasks) and by the playground (from a recording).
 */
export function forest<T, N>(
  items: readonly T[],
  childrenOf: (item: T) => readonly T[],
  node: (item: T, children: N[], closesCycle: boolean) => N,
): N[] {
  const children = new Map<T, readonly T[]>();
  const isChild = new Set<T>();
  for (const item of items) {
    const below = childrenOf(item);
    children.set(item, below);
    for (const child of below) isChild.add(child);
  }
  const walk = new TreeWalk((item: T) => children.get(item) ?? NONE, node);
  const roots = items.filter((item) => !isChild.has(item)).map((item) => walk.build(item));
  for (const item of items) if (!walk.has(item)) roots.push(walk.build(item));
  return roots;
}

/**
 * @internal Builds the node of an item and, below it, the nodes of its children, theirs
 * and so on: each item's node once, however many items have it as a child, and a child
 * already on the path from the root left out as closing a cycle. Nodes built by one
 * `build` are reused by the next. The walk keeps its own stack rather than recursing: a
 * chain of thousands of tasks, each awaiting the next, is as deep as it goes.
 */
export class TreeWalk<T, N> {
  private readonly built = new Map<T, N>();
  private readonly onPath = new Set<T>();

  constructor(
    private readonly childrenOf: (item: T) => Iterable<T>,
    private readonly node: (item: T, children: N[], closesCycle: boolean) => N,
  ) {}

  /** True if `item`'s node is built. */
  has(item: T): boolean {
    return this.built.has(item);
  }

  /** `root`'s node, with the nodes below it. */
  build(root: T): N {
    const { built, onPath } = this;
    const stack: Frame<T, N>[] = [this.frame(root)];
    for (;;) {
      const top = stack[stack.length - 1]!;
      const next = top.children.next();
      if (!next.done) {
        const child = next.value;
        const done = built.get(child);
        if (done !== undefined) top.below.push(done);
        else if (onPath.has(child)) top.closesCycle = true;
        else stack.push(this.frame(child));
        continue;
      }
      stack.pop();
      onPath.delete(top.item);
      const made = this.node(top.item, top.below, top.closesCycle);
      built.set(top.item, made);
      if (stack.length === 0) return made;
      stack[stack.length - 1]!.below.push(made);
    }
  }

  private frame(item: T): Frame<T, N> {
    this.onPath.add(item);
    return { item, children: this.childrenOf(item)[Symbol.iterator](), below: [], closesCycle: false };
  }
}

/** An item whose children are being built: the next one to look at, and those made. */
interface Frame<T, N> {
  readonly item: T;
  readonly children: Iterator<T>;
  readonly below: N[];
  closesCycle: boolean;
}

const NONE: readonly never[] = [];
