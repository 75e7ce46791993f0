// The module worker run by workerd: `core.wasm` arrives precompiled, as workerd forbids
// compiling Wasm from bytes. GET /suite runs the conformance suite with that module
// inside the request and answers with the host report (which also records that
// compiling the inlined bytes is refused here, and that a loop given no core falls back
// to JS).
import core from "./core.wasm";
import { hostReport } from "./host-suite.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== "/suite") return new Response("wasyncio conformance worker: GET /suite\n", { status: 404 });
    try {
      const result = await hostReport({ core });
      return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });
    } catch (error) {
      return new Response(error instanceof Error ? (error.stack ?? error.message) : String(error), { status: 500 });
    }
  },
};
