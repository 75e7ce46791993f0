// The Deno binary the tests run, fetched from the npm registry on first use (see
// npm-binary.ts): the package of Deno's binary for this platform (@deno/linux-x64-glibc
// and its siblings). Not the `deno` wrapper package, which lists every platform's binary
// and so writes a lockfile that `npm ci` rejects on a machine that cannot fetch them all.
//
//   npx tsx test/hosts/deno-binary.ts      (fetches it if it is missing; npm test does)
import { fileURLToPath } from "node:url";
import { ensureNpmBinary, type NpmBinary, npmBinaryPath } from "./npm-binary.ts";

const DENO: NpmBinary = {
  packageName: `@deno/${process.platform === "linux" ? `linux-${process.arch}-glibc` : `${process.platform}-${process.arch}`}`,
  version: "2.9.6",
  cacheName: "wasyncio-deno",
  file: process.platform === "win32" ? "deno.exe" : "deno",
};

export const DENO_BINARY = npmBinaryPath(DENO);

/** Fetches and unpacks the binary unless it is there; returns its path. */
export function ensureDenoBinary(): string {
  return ensureNpmBinary(DENO);
}

/** vitest's globalSetup: the Node and Bun runs start Deno processes in some tests. */
export function setup(): void {
  ensureDenoBinary();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`deno: ${ensureDenoBinary()}`);
