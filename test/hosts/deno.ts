// Deno: the suite bundled to one ES module and run by the Deno binary (see
// deno-binary.ts), with no permissions at all. The script does not call exit, so a host
// facility left armed by the runtime shows up as a hang.
import { join } from "node:path";
import { bundle } from "./bundle.ts";
import { ensureDenoBinary } from "./deno-binary.ts";
import { type HostResult, reportFromProcess, runProcess } from "./shared.ts";

export async function runDeno(work: string): Promise<HostResult> {
  const host = "deno";
  const expect = { core: "wasm", compileRefused: false } as const;
  let denoBinary: string;
  try {
    denoBinary = ensureDenoBinary();
  } catch (error) {
    return { host, expect, error: `no Deno binary: ${String(error)}` };
  }
  const dir = join(work, "deno");
  const script = await bundle({ entry: "cli-main.ts", outfile: join(dir, "suite.mjs"), format: "esm" });
  const outcome = await runProcess(denoBinary, ["run", "--quiet", "--no-prompt", "--no-config", "--no-lock", script], {
    cwd: dir,
    env: { ...process.env, DENO_DIR: join(dir, "cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeoutMs: 30_000,
  });
  return reportFromProcess(host, expect, outcome);
}
