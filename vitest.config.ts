import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    globals: true,
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Request logs would bury the test report; warnings and errors still show.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  },
});
