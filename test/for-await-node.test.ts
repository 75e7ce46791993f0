// forAwait over Node streams, whose async iterator's return() waits for the pending read
// (it is an async generator): a cancellation must still close the stream at once.
import { once } from "node:events";
import { createServer, get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { forAwait, run, sleep, timeout, TimeoutError, until } from "../src/index.ts";
import { forEachCore } from "./helpers.ts";

forEachCore("forAwait over Node streams", (core) => {
  it("a task cancelled while an idle stream has no chunk destroys it at once", async () => {
    const idle = new Readable({ read() {} });
    const log: string[] = [];
    idle.on("close", () => log.push("stream closed"));
    const out = await run(
      function* () {
        const chunks: string[] = [];
        idle.push("first");
        try {
          yield* timeout(20, () => forAwait(idle, (chunk: Buffer) => void chunks.push(String(chunk))));
        } catch (error) {
          if (!(error instanceof TimeoutError)) throw error;
          log.push("timed out");
        }
        yield* until(new Promise((resolve) => setTimeout(resolve, 0))); // Node emits close on a later tick
        return chunks;
      },
      { core, clock: "virtual" },
    );
    expect(out).toEqual(["first"]);
    expect(log).toEqual(["timed out", "stream closed"]);
    expect(idle.destroyed).toBe(true);
  });

  it("a stream that ends, or a body that stops it early, is closed as for await closes it", async () => {
    const ended = Readable.from(["a", "b"]);
    const stopped = Readable.from(["a", "b", "c"]);
    const out = await run(
      function* () {
        const seen: string[] = [];
        yield* forAwait(ended, (chunk: string) => void seen.push(chunk));
        yield* forAwait(stopped, (chunk: string) => {
          seen.push(chunk);
          return chunk !== "b";
        });
        yield* sleep(0);
        return seen;
      },
      { core, clock: "virtual" },
    );
    expect(out).toEqual(["a", "b", "a", "b"]);
    expect([ended.destroyed, stopped.destroyed]).toEqual([true, true]);
  });

  it("a task cancelled while a slow HTTP response sends nothing closes the connection at once", async () => {
    const server = createServer((_request, response) => {
      response.write("first chunk");
      // ...and nothing more until the client leaves.
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const serverSawClose = new Promise<void>((resolve) => server.on("connection", (socket) => socket.on("close", resolve)));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, resolve));
      const chunks = await run(
        function* () {
          const received: string[] = [];
          try {
            yield* timeout(200, () => forAwait(response, (chunk: Buffer) => void received.push(String(chunk))));
          } catch (error) {
            if (!(error instanceof TimeoutError)) throw error;
          }
          return received;
        },
        { core },
      );
      expect(chunks).toEqual(["first chunk"]);
      await serverSawClose; // without the fix, only the next chunk, which never comes, would close it
      expect(response.destroyed).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
