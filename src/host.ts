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
  const g = globalThis as { setImmediate?: (cb: HostCallback) => unknown; Deno?: unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    // Deno polls the network only every hundred or so immediates: a loop kept busy by
    // its tasks held a fetch's answer back for about a second. So there, every fourth
    // yield (a busy loop yields every 8 ms) goes through setTimeout(0), which lets it poll.
    const deno = g.Deno !== undefined;
    let yields = 0;
    return (callback: HostCallback) => void (deno && (++yields & 3) === 0 ? setTimeout(callback, 0) : setImmediate(callback));
  }
  if (typeof MessageChannel === "function") {
    // Made on first use, so importing the library does nothing; and unref'd where the
    // host can (Node, Deno), so an idle port never keeps the process alive.
    const queue: HostCallback[] = [];
    let port: MessagePort | null = null;
    return (callback: HostCallback) => {
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
  return (callback: HostCallback) => void setTimeout(callback, 0);
})();

/**
 * The longest delay setTimeout accepts (about 24.8 days); longer ones fire at once.
 * 2 ** 31 - 1, as a literal: a bundler that does not fold the expression keeps it.
 */
export const MAX_HOST_DELAY = 2_147_483_647;
