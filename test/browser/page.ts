// The script of the test pages (pages.ts bundles it with esbuild for the CSP pages, and
// has Vite build it for the Vite page; each entry calls runPage): runs the conformance suite on the default core,
// which is whatever the page's Content-Security-Policy lets the runtime compile, and
// publishes the result for the runner to read.
import { compileInlined } from "../../src/core/load-core.ts";
import { type ConformanceReport, runScenarios } from "../conformance/scenarios.ts";

/** What a page publishes, as JSON in #report and as `window.__wasyncioPage`. */
export interface PageResult {
  report?: ConformanceReport;
  /** "compiled", or the host's reason for refusing to compile the inlined Wasm. */
  compile: string;
  /** Set when the suite could not run at all. */
  error?: string;
}

declare global {
  interface Window {
    __wasyncioPage?: PageResult;
  }
}

function publish(result: PageResult): void {
  const element = document.createElement("pre");
  element.id = "report";
  element.textContent = JSON.stringify(result);
  document.body.append(element);
  window.__wasyncioPage = result;
}

/** Runs the suite and publishes the result (the page's entry calls it). */
export function runPage(): void {
  const compiled = compileInlined();
  const compile = compiled instanceof Error ? `refused: ${compiled.message}` : "compiled";
  runScenarios().then(
    (report) => publish({ report, compile }),
    (error: unknown) => publish({ compile, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
