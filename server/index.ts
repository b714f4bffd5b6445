// `npm start`: open the database (PGlite in PAYDESK_DATA_DIR, or DATABASE_URL), apply the
// migrations, seed demo data into an empty database (outside production, or with PAYDESK_SEED=demo;
// docs/decisions/027), start the sandbox PSP in a process of its own
// (unless PAYDESK_PSP_URL points at one), and serve the built Remix app.
//
// PAYDESK_WORKERS=N (PostgreSQL only) serves from N processes on one port (node:cluster): this
// process sets up the database and the PSP once, then forks the workers, restarts one that dies,
// and stops them all on SIGINT/SIGTERM. Every worker runs the background jobs: each is safe on
// several instances at once (server/jobs.ts). PGlite is one in-process database, so it keeps
// to one process.
import cluster from "node:cluster";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import {
  DatabaseLockedError,
  openDatabase,
  optionsFromEnv,
  serverTimeouts,
  setDatabase,
  type DatabaseHandle,
  type DatabaseTimeouts,
} from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { demoBanner, ensureDemoData } from "../db/demo";
import { firstAdminHelp, hasStaffUser, seedModeFrom } from "../db/seed-mode";
import { createApp, listen } from "./app";
import { startBackgroundJobs } from "./jobs";
import { forkPsp } from "./psp-process";
import { workerCount } from "./workers";

const open = (timeouts?: DatabaseTimeouts) =>
  openDatabase({ ...optionsFromEnv(), timeouts }).catch((error: unknown) => {
    if (error instanceof DatabaseLockedError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  });

const loadBuild = async () => (await import(new URL("../build/index.js", import.meta.url).href)) as ServerBuild;

const port = () => Number.parseInt(process.env.PORT ?? "3000", 10);
const host = () => process.env.HOST ?? "0.0.0.0";

/** Serves the app from this process; answers how to stop (jobs, then open requests, then the database). */
async function serve(handle: DatabaseHandle, onListening: () => void): Promise<(done: () => void) => void> {
  const app = createApp(await loadBuild());
  const server: Server = listen(app, port(), host(), onListening);
  const stopJobs = startBackgroundJobs();
  return (done) => {
    stopJobs();
    server.close(async () => {
      await handle.close();
      done();
    });
    server.closeIdleConnections();
  };
}

async function main() {
  // Behind TLS in production the session cookie is always Secure, whatever a proxy forwards.
  if (process.env.NODE_ENV === "production") process.env.PAYDESK_COOKIE_SECURE ??= "true";

  if (cluster.isWorker) {
    const handle = await open(serverTimeouts());
    setDatabase(handle);
    const stop = await serve(handle, () => process.send?.({ listening: true }));
    process.on("SIGTERM", () => stop(() => process.exit(0)));
    process.on("SIGINT", () => {}); // the primary decides
    return;
  }

  // Demo data (public logins) only outside production or when asked for (docs/decisions/027).
  const mode = seedModeFrom(process.env);
  const count = workerCount(process.env);
  for (const problem of [mode, count]) {
    if ("error" in problem) {
      console.error(`\n${problem.error}\n`);
      process.exit(1);
    }
  }
  const { workers } = count as { workers: number };
  const { seed, describe } = mode as Exclude<typeof mode, { error: string }>;
  // Migrations and the first seed may take longer than one request may: on a server they run
  // over their own connections without the serving pool's statement and lock timeouts. (PGlite
  // is one in-process database with no such timeouts, so it is opened once.)
  const handle = await open(serverTimeouts());
  const setup = handle.kind === "postgres" ? await open() : handle;
  await migrateDatabase(setup);
  if (seed === "demo") await ensureDemoData(setup);
  const nobodyCanLogIn = !(await hasStaffUser(setup));
  if (setup !== handle) await setup.close();
  setDatabase(handle);

  // The sandbox PSP in a process of its own; its memory is kept beside the database's directory.
  const psp = process.env.PAYDESK_PSP_URL
    ? null
    : await forkPsp({
        ...process.env,
        PAYDESK_PSP_DATA_DIR: process.env.PAYDESK_PSP_DATA_DIR ?? `${process.env.PAYDESK_DATA_DIR || "./data"}-psp`,
      });
  if (psp) process.env.PAYDESK_PSP_URL = psp.url;

  const announce = async () => {
    const url = `http://localhost:${port()}`;
    console.log(`\nPaydesk is running at ${url}${workers > 1 ? ` (${workers} processes)` : ""}`);
    console.log(`Database: ${handle.kind === "pglite" ? `embedded PGlite in ${handle.location}` : handle.location}`);
    console.log(`PSP: ${psp ? `the sandbox PSP at ${psp.url}` : process.env.PAYDESK_PSP_URL}`);
    console.log(describe);
    const banner = await demoBanner(handle);
    if (banner) console.log(`\n${banner}\n`);
    if (nobodyCanLogIn) console.log(`\n${firstAdminHelp(handle.kind === "pglite")}\n`);
  };

  let stopping = false;
  let stopServing: (done: () => void) => void;
  if (workers === 1) {
    stopServing = await serve(handle, () => void announce());
  } else {
    let listening = 0;
    const fork = () => {
      const worker = cluster.fork({ PAYDESK_PSP_URL: process.env.PAYDESK_PSP_URL });
      worker.on("message", (message: { listening?: boolean }) => {
        if (message.listening && ++listening === workers) void announce();
      });
    };
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) return;
      console.error(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
      fork();
    });
    for (let i = 0; i < workers; i++) fork();
    stopServing = (done) => {
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
      let left = alive.length;
      if (!left) return void handle.close().then(done);
      for (const worker of alive) {
        worker!.once("exit", () => --left === 0 && void handle.close().then(done));
        worker!.process.kill("SIGTERM");
      }
    };
  }

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing open requests, then closing the database.`);
    stopServing(() => {
      psp?.stop();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
