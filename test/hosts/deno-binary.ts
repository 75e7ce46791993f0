// The Deno binary the tests run, fetched from the npm registry on first use: the package
// of Deno's binary for this platform (@deno/linux-x64-glibc and its siblings), unpacked
// under node_modules/.cache. It is not a dependency of wasyncio, not even an optional
// one: optional dependencies install for every user of the package, and this one is
// 90 MB. Nor is it the `deno` wrapper package, which lists every platform's binary and
// so writes a lockfile that `npm ci` rejects on a machine that cannot fetch them all.
//
//   npx tsx test/hosts/deno-binary.ts      (fetches it if it is missing; npm test does)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DENO_VERSION = "2.9.6";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIR = join(ROOT, "node_modules/.cache/wasyncio-deno", DENO_VERSION);

export const DENO_BINARY = join(DIR, process.platform === "win32" ? "deno.exe" : "deno");

/** The npm package that holds Deno's binary for this machine. */
function binaryPackage(): string {
  const platform = process.platform === "linux" ? `linux-${process.arch}-glibc` : `${process.platform}-${process.arch}`;
  return `@deno/${platform}@${DENO_VERSION}`;
}

/** Fetches and unpacks the binary unless it is there; returns its path. */
export function ensureDenoBinary(): string {
  if (existsSync(DENO_BINARY)) return DENO_BINARY;
  mkdirSync(join(DIR, ".."), { recursive: true });
  const scratch = mkdtempSync(join(DIR, "../fetching-"));
  try {
    const shell = process.platform === "win32";
    const [{ filename }] = JSON.parse(
      execFileSync("npm", ["pack", binaryPackage(), "--json", "--pack-destination", scratch], { encoding: "utf8", shell }),
    ) as [{ filename: string }];
    execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
    renameSync(join(scratch, "package"), DIR); // whole, or not at all
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(DENO_BINARY)) throw new Error(`${binaryPackage()} holds no ${DENO_BINARY}`);
  return DENO_BINARY;
}

/** vitest's globalSetup: the Node and Bun runs start Deno processes in some tests. */
export function setup(): void {
  ensureDenoBinary();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`deno: ${ensureDenoBinary()}`);
