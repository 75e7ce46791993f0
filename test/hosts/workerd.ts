// Cloudflare workerd: a module worker importing core.wasm as a precompiled module, served
// on a free loopback port. The runner starts workerd, waits for the port, GETs /suite
// and always stops workerd again (on success, failure, time-out or the runner's exit).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { bundle, ROOT } from "./bundle.ts";
import type { HostReport } from "./host-suite.ts";
import { type HostResult, startProcess, stopProcess, withTimeout } from "./shared.ts";

export const WORKERD_BINARY = join(ROOT, "node_modules/.bin/workerd");
const CORE_WASM = join(ROOT, "build/core.wasm");
const HOST = "127.0.0.1";

/**
 * The worker's compatibility dates: the newest this workerd knows, its release's (read
 * from its version, 1.YYYYMMDD.n, so that an upgrade moves it too), and one before
 * 2025-05-05, from which on workerd has FinalizationRegistry and WeakRef (a Cloudflare
 * Worker keeps the date it was made with, so older ones are common): the runtime must
 * run without them.
 */
export const WORKERD_DATES: readonly string[] = [releaseDate(), "2025-01-01"];

function releaseDate(): string {
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/workerd/package.json"), "utf8")) as { version: string };
  const date = /^1\.(\d{4})(\d{2})(\d{2})\./.exec(version);
  if (date === null) throw new Error(`workerd ${version}: not a version of the form 1.YYYYMMDD.n, which gives its compatibility date`);
  return `${date[1]}-${date[2]}-${date[3]}`;
}

const config = (compatibilityDate: string) => `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .suiteWorker)],
  sockets = [(name = "http", http = (), service = "main")],
);

const suiteWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "core.wasm", wasm = embed "core.wasm"),
  ],
  compatibilityDate = "${compatibilityDate}",
);
`;

/** A port the kernel just handed out on 127.0.0.1 (free at that moment). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One attempt on one port: "port taken" lets the caller retry on another. */
async function serveAndRun(dir: string, port: number): Promise<HostReport | "port taken"> {
  const child = startProcess(WORKERD_BINARY, ["serve", "config.capnp", "--socket-addr", `http=${HOST}:${port}`], { cwd: dir });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        if (/address already in use|EADDRINUSE/i.test(output)) return "port taken";
        throw new Error(`workerd exited (code ${child.exitCode}, signal ${child.signalCode}) before listening:\n${output.trim()}`);
      }
      if (await canConnect(port)) break;
      if (Date.now() > deadline) throw new Error(`workerd did not listen on ${HOST}:${port} within 20 s:\n${output.trim()}`);
      await sleepMs(50);
    }
    const response = await withTimeout(
      Promise.race([
        fetch(`http://${HOST}:${port}/suite`, { signal: AbortSignal.timeout(30_000) }),
        exited.then(() => Promise.reject(new Error(`workerd exited during the request:\n${output.trim()}`))),
      ]),
      35_000,
      "the workerd request",
    );
    const body = await response.text();
    if (!response.ok) throw new Error(`GET /suite answered ${response.status}:\n${body}\nworkerd output:\n${output.trim()}`);
    return JSON.parse(body) as HostReport;
  } finally {
    await stopProcess(child);
  }
}

export async function runWorkerd(work: string, compatibilityDate: string): Promise<HostResult> {
  const host = compatibilityDate === WORKERD_DATES[0] ? "workerd" : `workerd, compatibility date ${compatibilityDate}`;
  // The suite runs on the precompiled module; compiling from bytes must be refused.
  const expect = { core: "wasm", compileRefused: true, weakReferences: compatibilityDate === WORKERD_DATES[0] } as const;
  try {
    if (!existsSync(WORKERD_BINARY)) throw new Error(`no workerd at ${WORKERD_BINARY}: install the devDependency workerd (npm ci)`);
    if (!existsSync(CORE_WASM)) throw new Error(`no ${CORE_WASM}: run npm run build:core first`);
    const dir = join(work, `workerd-${compatibilityDate}`);
    await bundle({ entry: "workerd-worker.ts", outfile: join(dir, "worker.mjs"), format: "esm", external: ["*.wasm"] });
    copyFileSync(CORE_WASM, join(dir, "core.wasm"));
    writeFileSync(join(dir, "config.capnp"), config(compatibilityDate));
    for (let attempt = 1; ; attempt++) {
      const result = await serveAndRun(dir, await freePort());
      if (result !== "port taken") return { host, expect, result };
      if (attempt === 3) throw new Error("three free ports in a row were taken before workerd could bind them");
    }
  } catch (error) {
    return { host, expect, error: error instanceof Error ? error.message : String(error) };
  }
}
