// Bun: runs the suite's TypeScript source directly (Bun's own transpiler and resolver,
// `.js` specifiers in src/ resolving to `.ts`), with auto-install off. Like Deno, the
// script does not call exit, so anything keeping the process alive shows as a hang.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HOSTS_DIR, ROOT } from "./bundle.ts";
import { type HostResult, reportFromProcess, runProcess } from "./shared.ts";

export const BUN_BINARY = join(ROOT, "node_modules/.bin/bun");

export async function runBun(work: string): Promise<HostResult> {
  const host = "bun";
  const expect = { core: "wasm", compileRefused: false } as const;
  if (!existsSync(BUN_BINARY)) return { host, expect, error: `no Bun at ${BUN_BINARY}: install the devDependency bun (npm ci)` };
  const outcome = await runProcess(BUN_BINARY, ["run", "--no-install", join(HOSTS_DIR, "cli-main.ts")], {
    cwd: ROOT,
    env: { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(work, "bun-cache"), DO_NOT_TRACK: "1", NO_COLOR: "1" },
    timeoutMs: 30_000,
  });
  return reportFromProcess(host, expect, outcome);
}
