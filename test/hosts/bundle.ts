// The bundling helper the host runners share: esbuild's JS API turns a host-side entry
// (TypeScript importing the suite) into one file a host can load as it is. The suite's
// imports of the runtime resolve to the built package (dist/index.js), so the hosts
// bundled here test what is published: the one-file build with its short internal names.
import { build, type Plugin, stop } from "esbuild";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** test/hosts/ (where the host-side entries live). */
export const HOSTS_DIR = fileURLToPath(new URL(".", import.meta.url));
/** The package root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The published entry, made by `npm run build`. */
const PACKAGE_ENTRY = join(ROOT, "dist/index.js");

/** Resolves imports of src/index.ts to the built package. */
export const publishedPackage: Plugin = {
  name: "published-package",
  setup(build) {
    build.onResolve({ filter: /[\\/]src[\\/]index\.ts$/ }, () => {
      if (!existsSync(PACKAGE_ENTRY)) throw new Error("dist/index.js is missing: run `npm run build` first");
      return { path: PACKAGE_ENTRY };
    });
  },
};

export interface BundleOptions {
  /** The entry, relative to test/hosts/. */
  entry: string;
  /** Where to write the bundle (absolute). */
  outfile: string;
  /** "esm" for module hosts (Deno, workerd); "iife" for a script a VM evaluates. */
  format: "esm" | "iife";
  /** With "iife": the global the entry's exports are assigned to. */
  globalName?: string;
  /** Imports left as they are, e.g. `*.wasm` for workerd's precompiled module. */
  external?: string[];
}

/** Bundles `options.entry` for a JS host (no Node built-ins, no minification); returns the outfile. */
export async function bundle(options: BundleOptions): Promise<string> {
  mkdirSync(dirname(options.outfile), { recursive: true });
  await build({
    entryPoints: [join(HOSTS_DIR, options.entry)],
    outfile: options.outfile,
    bundle: true,
    format: options.format,
    ...(options.globalName === undefined ? {} : { globalName: options.globalName }),
    external: options.external ?? [],
    plugins: [publishedPackage],
    platform: "neutral",
    target: "es2022",
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
  });
  return options.outfile;
}

/** Stops esbuild's service process, so it cannot keep the runner alive. */
export async function stopBundler(): Promise<void> {
  await stop();
}
