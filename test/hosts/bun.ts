// Bun: runs the suite's TypeScript source directly (Bun's own transpiler and resolver,
// `.js` specifiers in src/ resolving to `.ts`), with auto-install off. Like Deno, the
// script does not call exit, so anything keeping the process alive shows as a hang.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HOSTS_DIR, ROOT } from "./bundle.ts";
import { type HostResult, reportFromProcess, runProcess } from "./shared.ts";

export const BUN_BINARY = join(ROOT, "node_modules/.bin/bun");

/**
 * Bun is the one host on another engine (JavaScriptCore), so it runs the suite twice: on
 * the default (Wasm) core and on the JS core.
 */
export async function runBun(work: string, core: "default" | "js"): Promise<HostResult> {
  const host = core === "js" ? "bun (js core)" : "bun";
  const expect = { core: core === "js" ? "js" : "wasm", compileRefused: false } as const;
  if (!existsSync(BUN_BINARY)) return { host, expect, error: `no Bun at ${BUN_BINARY}: install the devDependency bun (npm ci)` };
  const script = [join(HOSTS_DIR, "cli-main.ts"), ...(core === "js" ? ["js"] : [])];
  const outcome = await runProcess(BUN_BINARY, ["run", "--no-install", ...script], {
    cwd: ROOT,
    env: { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(work, "bun-cache"), DO_NOT_TRACK: "1", NO_COLOR: "1" },
    timeoutMs: 30_000,
  });
  return reportFromProcess(host, expect, outcome);
}
