// The conformance suite in Node, on both cores (the other hosts run it through their own runners).
import { expect, it } from "vitest";
import { runScenarios, scenarios, summaryLine } from "./conformance/scenarios.ts";
import { CORES } from "./helpers.ts";

for (const core of CORES) {
  it(`every conformance scenario passes in Node on the ${core} core`, async () => {
    const report = await runScenarios({ core });
    console.log(summaryLine(`node (${core})`, report));
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(scenarios.length);
    expect(report.core).toBe(core);
  });
}
