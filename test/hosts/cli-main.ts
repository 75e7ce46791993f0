// The script Deno and Bun run: the suite on the default core, its report printed as one
// marked JSON line. It never calls exit: the runner checks that the process ends by
// itself once the loops are done (nothing of the runtime keeps a host alive).
import { hostReport, REPORT_MARKER } from "./host-suite.ts";

const result = await hostReport();
console.log(REPORT_MARKER + JSON.stringify(result));
