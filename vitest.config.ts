import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Some tests start Deno processes: its binary is fetched once, before any test runs.
    globalSetup: ["test/hosts/deno-binary.ts"],
  },
});
