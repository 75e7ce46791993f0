/**
 * The stand-in for the article's "sample URL": a node:http server on 127.0.0.1 that
 * answers every request after a fixed delay (100 ms), like a remote API whose latency
 * dominates. Over loopback the network itself costs well under a millisecond, so the
 * measured times are the simulated latency plus what each approach adds on top.
 *
 * It runs in the benchmark's own process: its CPU work (a few µs per request) lands in
 * the measured times, equally for every approach, and there is no child process that
 * could outlive the script. It also counts requests in flight, so the benchmark can
 * check each approach really had the concurrency it claims (1 for sequential awaits, at
 * most 50 behind the semaphore, ...).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LatencyServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Requests answered since the last resetStats(). */
  served(): number;
  /** The most requests in flight at once since the last resetStats(). */
  peakInFlight(): number;
  resetStats(): void;
  /** Stops listening and destroys every socket, idle or not. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the server on an ephemeral port (port 0) of the loopback interface only.
 *
 * 500 requests at once means 500 simultaneous connections: Node's fetch (undici) opens
 * one connection per request in flight and keeps it alive for reuse. So the listen
 * backlog is raised above the default 511, and no `maxConnections` is set. The keep-alive
 * timeout (advertised as `Keep-Alive: timeout=65`, which undici honours, minus a second of
 * margin) keeps the connections opened by the warm-up alive for the whole run, so no
 * measurement pays for opening connections that another did not; and since undici gives
 * up on an idle connection before the server does, the server never closes one just as
 * the client reuses it (that request would fail with "other side closed").
 */
export async function startLatencyServer(latencyMs: number): Promise<LatencyServer> {
  let inFlight = 0;
  let peak = 0;
  let served = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    inFlight++;
    if (inFlight > peak) peak = inFlight;
    const timer = setTimeout(() => {
      timers.delete(timer);
      inFlight--;
      served++;
      const body = JSON.stringify({ path: request.url, latencyMs });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
    }, latencyMs);
    timers.add(timer);
    // A client that gives up (an aborted fetch) is not answered, nor counted. The
    // response's "close" comes once per request (the socket's would pile up listeners on
    // a keep-alive connection); when it comes after the answer, the timer is gone already.
    response.once("close", () => {
      if (timers.delete(timer)) {
        clearTimeout(timer);
        inFlight--;
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, backlog: 1024 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    peakInFlight: () => peak,
    resetStats() {
      peak = inFlight;
      served = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        // close() alone waits for keep-alive connections to time out; destroy them now.
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
