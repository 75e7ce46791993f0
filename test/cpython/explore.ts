// Explores beyond the committed programs: records fresh ones on CPython (other seeds, as
// many as asked) and runs each on wasyncio, on both cores, printing every program whose
// trace differs, with the first line where it does. Nothing is written to the repository.
//
//   PYTHON=python3.13 SEED=7 PROGRAMS=5000 npx tsx test/cpython/explore.ts
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traceOf } from "./interpreter.ts";
import type { Recording } from "./recording.ts";

const python = process.env.PYTHON ?? "python3.13";
const dir = mkdtempSync(join(tmpdir(), "wasyncio-cpython-"));
const out = join(dir, "traces.json");
try {
  execFileSync(python, [new URL("record.py", import.meta.url).pathname], {
    env: { ...process.env, OUT: out },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const recording = JSON.parse(readFileSync(out, "utf8")) as Recording;
  let differing = 0;
  for (const [index, { program, trace }] of recording.programs.entries()) {
    for (const core of ["wasm", "js"] as const) {
      const ours = await traceOf(program, { core });
      const line = ours.findIndex((step, i) => step !== trace[i]);
      if (line < 0 && ours.length === trace.length) continue;
      differing++;
      const at = line < 0 ? Math.min(ours.length, trace.length) : line;
      console.log(`program ${index} (${core} core): ${JSON.stringify(program)}`);
      console.log(`  line ${at}: CPython ${JSON.stringify(trace[at])}, wasyncio ${JSON.stringify(ours[at])}`);
      break;
    }
  }
  console.log(`${recording.programs.length} programs (seed ${recording.seed}), ${differing} differ`);
  process.exitCode = differing === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
