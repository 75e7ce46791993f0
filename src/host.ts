// The few host facilities the loop needs, chosen once per realm. Everything else in the
// runtime is plain ECMAScript, so it runs unchanged in Node, Deno, Bun, browsers and
// edge functions.

type HostCallback = () => void;

/**
 * Runs `callback` in a later host task (a macrotask), after pending I/O: setImmediate
 * where it exists (Node, Bun, Deno), else a MessageChannel (browsers, workerd: no 4 ms
 * clamping), else setTimeout(0).
 */
export const queueMacrotask: (callback: HostCallback) => void = /* @__PURE__ */ (() => {
  type Immediate = ((cb: HostCallback) => unknown) & { clock?: object };
  const g = globalThis as { setImmediate?: Immediate };
  const timeout = (callback: HostCallback): void => void setTimeout(callback, 0);
  let next = timeout;
  if (typeof g.setImmediate === "function") {
    let immediate = g.setImmediate;
    // A test's fake timers (vitest's, sinon's, jest's modern ones, which mark each fake
    // with its `clock`), installed when this module loaded, are looked up again until
    // they are gone: kept, they would hold every host turn of the loop for good.
    next = (callback) => void (immediate.clock ? (immediate = g.setImmediate ?? timeout) : immediate)(callback);
  } else if (typeof MessageChannel === "function") {
    // Made on first use, so importing the library does nothing; and unref'd where the
    // host can (Node, Deno), so an idle port never keeps the process alive.
    const queue: HostCallback[] = [];
    let port: MessagePort | null = null;
    next = (callback) => {
      if (port === null) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => queue.shift()?.();
        (channel.port1 as MessagePort & { unref?: () => void }).unref?.();
        port = channel.port2;
      }
      queue.push(callback);
      port.postMessage(null);
    };
  }
  return next;
})();

/**
 * Whether the host keeps something back from a loop kept busy by its tasks (which yields
 * every 8 ms) until it is done, unless it goes through setTimeout(0). Deno polls the
 * network only every hundred or so immediates: a fetch's answer came a second late.
 * workerd runs a port's messages ahead of its timers: no setTimeout of the worker ran.
 * (Not browsers, which take turns between ports and timers, and throttle the timers of a
 * tab in the background.)
 */
const holdsBack: boolean = /* @__PURE__ */ (() => {
  const g = globalThis as { Deno?: unknown; navigator?: { userAgent?: unknown } };
  return g.Deno !== undefined || g.navigator?.userAgent === "Cloudflare-Workers";
})();

let yields = 0;

/**
 * Runs `callback` in a later host task, as {@link queueMacrotask}, for a loop that hands
 * the host a turn: where the host {@link holdsBack}, every fourth through setTimeout(0).
 */
export function yieldToHost(callback: HostCallback): void {
  (++yields & 3 || !holdsBack ? queueMacrotask : setTimeout)(callback);
}

/**
 * Runs `callback` once the host has run a task of its own, timers and I/O included: for
 * the loop's note that a new 8 ms may begin. Where the host {@link holdsBack}, through
 * setTimeout(0), since an immediate or a port's message runs before those. (When it went
 * through the same count as the loop's turns, every fourth could fall on it each time,
 * and no turn went through setTimeout: in Deno, a fetch waited a second behind a task
 * awaiting settled promises. When it went through a port's message in workerd, a loop
 * whose clock stands still while code runs began a new 8 ms after each, and never
 * yielded through setTimeout at all.)
 */
export function afterHostTask(callback: HostCallback): void {
  (holdsBack ? setTimeout : queueMacrotask)(callback);
}

/**
 * The longest delay setTimeout accepts (about 24.8 days); longer ones fire at once.
 * 2 ** 31 - 1, as a literal: a bundler that does not fold the expression keeps it.
 */
export const MAX_HOST_DELAY = 2_147_483_647;

/**
 * A FinalizationRegistry calling `cleanup`, or null where the host has none: workerd
 * before its 2025-05-05 compatibility date, where a Cloudflare Worker with an older date
 * runs. What is reported when the collector takes something is then reported when its
 * loop closes, as it already is for what is still alive then.
 */
export function finalizationRegistry<T>(cleanup: (held: T) => void): FinalizationRegistry<T> | null {
  return typeof FinalizationRegistry === "function" ? new FinalizationRegistry(cleanup) : null;
}

/**
 * A weak reference to `target`, or where the host has no WeakRef (see
 * finalizationRegistry), a strong one. (A function of its own: a closure over `target`
 * in the caller's scope would hold it from every closure of that scope.)
 */
export function weakRef<T extends object>(target: T): { deref(): T | undefined } {
  return typeof WeakRef === "function" ? new WeakRef(target) : { deref: () => target };
}
