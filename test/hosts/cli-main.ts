// The script Deno and Bun run: the suite on the default core (or on the JS core, given
// the argument `js`), its report printed as one marked JSON line. It never calls exit:
// the runner checks that the process ends by itself once the loops are done (nothing of
// the runtime keeps a host alive).
import { hostReport, REPORT_MARKER } from "./host-suite.ts";

const args = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? (globalThis as { process?: { argv: string[] } }).process?.argv.slice(2) ?? [];
const result = await hostReport(args.includes("js") ? { core: "js" } : {});
console.log(REPORT_MARKER + JSON.stringify(result));
