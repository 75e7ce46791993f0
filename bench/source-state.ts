/**
 * Which source the numbers belong to: the git commit, whether src/ or assembly/ have
 * uncommitted changes, and a fingerprint of their contents. The runner prints it above
 * the tables, since a benchmark of a working tree is only meaningful with its state.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(files(path));
    else out.push(path);
  }
  return out;
}

/** A hash of the contents of src/ and assembly/: equal fingerprints, same code measured. */
export function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  for (const dir of ["src", "assembly"]) {
    for (const path of files(join(root, dir))) {
      if (path.endsWith("wasm-bytes.ts")) continue; // generated from assembly/
      hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
    }
  }
  return hash.digest("hex").slice(0, 12);
}

/** e.g. "commit 694995f, 2 uncommitted change(s) in src/ and assembly/, source fingerprint 1a2b3c4d5e6f". */
export function sourceState(root: string): string {
  const fingerprint = sourceFingerprint(root);
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    const changed = git("status", "--porcelain", "--", "src", "assembly").split("\n").filter(Boolean).length;
    const state = changed === 0 ? "clean" : `${changed} uncommitted change(s) in src/ and assembly/`;
    return `commit ${commit}, ${state}, source fingerprint ${fingerprint}`;
  } catch {
    return `source fingerprint ${fingerprint}`;
  }
}
