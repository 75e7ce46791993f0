// The conformance suite on both cores in the engine vitest runs in: Node (20, 24, 26), Bun,
// or Chromium (where the other hosts run it through their own runners).
import { expect, it } from "vitest";
import { runScenarios, scenarios, summaryLine } from "./conformance/scenarios.ts";
import { CORES } from "./helpers.ts";

const versions = (globalThis as { process?: { versions: Record<string, string> } }).process?.versions;
const engine = versions === undefined ? "browser" : versions.bun ? `bun ${versions.bun}` : `node ${versions.node}`;

for (const core of CORES) {
  it(`every conformance scenario passes in ${engine} on the ${core} core`, async () => {
    const report = await runScenarios({ core });
    console.log(summaryLine(`${engine} (${core})`, report));
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(scenarios.length);
    expect(report.core).toBe(core);
  });
}
