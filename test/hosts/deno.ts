// Deno: the suite bundled to one ES module and run by the Deno binary from the
// @deno/linux-x64-glibc optionalDependency, with no permissions at all. The script does
// not call exit, so a host facility left armed by the runtime shows up as a hang.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundle, ROOT } from "./bundle.ts";
import { type HostResult, reportFromProcess, runProcess } from "./shared.ts";

export const DENO_BINARY = join(ROOT, "node_modules/@deno/linux-x64-glibc/deno");

export async function runDeno(work: string): Promise<HostResult> {
  const host = "deno";
  const expect = { core: "wasm", compileRefused: false } as const;
  if (!existsSync(DENO_BINARY)) {
    return { host, expect, error: `no Deno binary at ${DENO_BINARY}: install the optionalDependency @deno/linux-x64-glibc (npm ci)` };
  }
  const dir = join(work, "deno");
  const script = await bundle({ entry: "cli-main.ts", outfile: join(dir, "suite.mjs"), format: "esm" });
  const outcome = await runProcess(DENO_BINARY, ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", script], {
    cwd: dir,
    env: { ...process.env, DENO_DIR: join(dir, "cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeoutMs: 30_000,
  });
  return reportFromProcess(host, expect, outcome);
}
