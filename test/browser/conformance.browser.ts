// The conformance suite inside Chromium (vitest browser mode), on the default core: the
// page allows Wasm, so the loops must be on the Wasm core.
import { expect, it } from "vitest";
import { runScenarios, scenarios, summaryLine } from "../conformance/scenarios.ts";

it("every conformance scenario passes in Chromium on the default (Wasm) core", async () => {
  const report = await runScenarios();
  console.log(summaryLine("chromium", report));
  expect(report.failures).toEqual([]);
  expect(report.passed).toBe(scenarios.length);
  expect(report.core).toBe("wasm");
});
