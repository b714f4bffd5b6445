import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    globals: true,
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts"],
    // Migrates one template database per run; each test file's database is a copy of it.
    globalSetup: ["tests/support/global-setup.ts"],
    // Test files mostly wait on I/O (the database, Chromium, child processes), so several run at
    // once even on two cores. Each has its own database and its servers listen on port 0.
    pool: "forks",
    poolOptions: { forks: { minForks: 1, maxForks: Number(process.env.TEST_WORKERS ?? 4) } },
    // `npm run test:coverage`: statements of app/ the tests run in their own process. Code the
    // tests reach only through the built server (build/) or a child process is not counted.
    coverage: {
      provider: "v8",
      include: ["app/**"],
      exclude: ["app/**/*.test.ts"],
      reporter: ["text-summary", "json-summary", "html"],
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Request logs would bury the test report; warnings and errors still show.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  },
});
