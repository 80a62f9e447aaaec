import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB and Chromium tests are memory- and CPU-heavy; two workers suit a 2-core machine.
    maxWorkers: 2,
  },
});
