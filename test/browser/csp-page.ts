// The script of the CSP pages (bundled by csp.ts with esbuild into /suite.js): runs the
// conformance suite on the default core, which is whatever this page's Content-Security-
// Policy lets the runtime compile, and publishes the result for the runner to read.
import { compileInlined } from "../../src/core/load-core.ts";
import { type ConformanceReport, runScenarios } from "../conformance/scenarios.ts";

/** What a CSP page publishes, as JSON in #report and as `window.__wasyncioCsp`. */
export interface CspPageResult {
  report?: ConformanceReport;
  /** "compiled", or the host's reason for refusing to compile the inlined Wasm. */
  compile: string;
  /** Set when the suite could not run at all. */
  error?: string;
}

declare global {
  interface Window {
    __wasyncioCsp?: CspPageResult;
  }
}

function publish(result: CspPageResult): void {
  const element = document.createElement("pre");
  element.id = "report";
  element.textContent = JSON.stringify(result);
  document.body.append(element);
  window.__wasyncioCsp = result;
}

const compiled = compileInlined();
const compile = compiled instanceof Error ? `refused: ${compiled.message}` : "compiled";
runScenarios().then(
  (report) => publish({ report, compile }),
  (error: unknown) => publish({ compile, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
);
