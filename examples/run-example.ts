/**
 * Runs one example:
 *
 *   npm run example -- <name> [--real] [--core=wasm|js]
 *
 * `<name>` is an example's name (`gather`) or its qualified name
 * (`asynchronous-programming-in-python/gather`). Virtual time unless `--real`.
 * An unknown name lists the names and exits with status 1.
 */
import { existsSync } from "node:fs";

// The runtime imports the Wasm core's bytes from a module the build generates: without
// it, the imports below would fail with a bare "Cannot find module".
if (!existsSync(new URL("../src/core/wasm-bytes.ts", import.meta.url))) {
  console.error("The Wasm core is not built yet: run `npm run build:core` (or `npm start`) first.");
  process.exit(1);
}
const { allExamples, findExample, qualifiedName } = await import("./index.ts");
const { parseArgs, present } = await import("./lib/present.ts");

const { options, rest, error } = parseArgs(process.argv.slice(2));
const name = rest[0];
const example = name === undefined ? undefined : findExample(name);

if (error !== undefined || rest.length !== 1 || example === undefined) {
  if (error !== undefined) console.error(error);
  else if (name === undefined) console.error("Which example?");
  else if (rest.length > 1) console.error(`One example at a time, got: ${rest.join(" ")}`);
  else console.error(`No example is called ${JSON.stringify(name)}.`);
  console.error("usage: npm run example -- <name> [--real] [--core=wasm|js]\n\nExamples:");
  const width = Math.max(...allExamples.map((e) => e.name.length));
  for (const e of allExamples) console.error(`  ${e.name.padEnd(width)}  ${e.title}  (${qualifiedName(e)})`);
  process.exit(1);
}

await present(example, options, `${example.title}: ${example.section}  [${qualifiedName(example)}]`);
