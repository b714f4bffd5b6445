import { defineConfig } from "vitest/config";

const workers = Number(process.env.TEST_WORKERS ?? 4);

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
    poolOptions: {
      forks: {
        // Each worker process runs test file after test file, loading the app, the server build and
        // PGlite's WebAssembly once instead of once per file (most of a short file's time). A file
        // still gets its own database and servers, and closes them in its afterAll.
        isolate: false,
        // As many workers from start to end: an idle worker the pool stops early is torn down while
        // the run goes on, and without isolation that ends the run with "Terminating worker thread".
        minForks: workers,
        maxForks: workers,
      },
    },
    // The server build is plain JavaScript: Node loads it as it is, not through Vite's transform.
    server: { deps: { external: [/\/build\/index\.js$/] } },
    // `npm run test:coverage`: statements of app/ the tests run in their own process. Code the
    // tests reach only through the built server (build/) or a child process is not counted.
    coverage: {
      provider: "v8",
      include: ["app/**"],
      exclude: ["app/**/*.test.ts"],
      reporter: ["text-summary", "json-summary", "html"],
    },
    // expect.poll waits up to 10 s by default, not 1 s: a screen that answers in 1.5 s under a full
    // run's load is not a failure (admin.test.ts's one-time secret was), and a poll that succeeds
    // returns as soon as it does.
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Request logs would bury the test report; warnings and errors still show.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  },
});
